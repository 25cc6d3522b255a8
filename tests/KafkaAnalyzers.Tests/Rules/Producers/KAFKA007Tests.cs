using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerLifetimeAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA007: an owned producer disposed without Flush (or with the Flush result ignored).</summary>
public class KAFKA007Tests
{
    private static DiagnosticResult NoFlush(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"'{holder}' is disposed without a Flush after its last Produce");

    private static DiagnosticResult NoFlushOnCancellation(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"'{holder}' is disposed on a cancellation path (OperationCanceledException) without a Flush after its last Produce");

    private static DiagnosticResult FlushIgnored(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"The count Flush returns (messages still queued) is ignored before '{holder}' is disposed");

    private static DiagnosticResult NeverFlushed(int location, string field, string type)
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"'{field}' is produced through but no Dispose, DisposeAsync or StopAsync of {type} flushes it");

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA007", source, expected);

    private const string Handler = "r => { if (r.Error.IsError) Console.Error.WriteLine(r.Error.Reason); }";

    // ---- flagged: locals --------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_using_declaration_without_flush() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using {|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|};
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }
            }
        }
        """, NoFlush(0));

    [Fact]
    public Task Flags_a_using_statement_without_flush() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string row)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|})
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }
            }
        }
        """, NoFlush(0));

    [Fact]
    public Task Flags_an_explicit_Dispose_with_only_Poll_before_it() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                var producer = new ProducerBuilder<Null, string>(config).Build();
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                    producer.Poll(TimeSpan.Zero);
                }

                producer.Poll(TimeSpan.FromSeconds(1));
                {|#0:producer.Dispose()|};
            }
        }
        """, NoFlush(0));

    [Fact]
    public Task Flags_the_ignored_result_of_Flush_TimeSpan_right_before_disposal() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using {|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|};
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }

                producer.Flush(TimeSpan.FromSeconds(10));
            }
        }
        """, FlushIgnored(0));

    [Fact]
    public Task Flags_a_cancellation_path_that_skips_the_flush() => Verify($$"""
        public sealed class ClickForwarder : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using {|#0:var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = "kafka:9092" }).Build()|};
                while (!stoppingToken.IsCancellationRequested)
                {
                    producer.Produce("clicks", new Message<Null, string> { Value = "{}" }, {{Handler}});
                    await Task.Delay(100, stoppingToken);
                }

                producer.Flush(CancellationToken.None);
            }
        }
        """, NoFlushOnCancellation(0));

    [Fact]
    public Task Flags_an_unobserved_ProduceAsync_before_disposal() => Verify("""
        class Exporter
        {
            void Export(ProducerConfig config, string row)
            {
                using {|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|};
                _ = producer.ProduceAsync("export", new Message<Null, string> { Value = row });
            }
        }
        """, NoFlush(0));

    [Fact]
    public Task Flags_a_flush_on_one_branch_only() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string row, bool quick)
            {
                var producer = new ProducerBuilder<Null, string>(config).Build();
                producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                if (!quick)
                {
                    producer.Flush(CancellationToken.None);
                }

                {|#0:producer.Dispose()|};
            }
        }
        """, NoFlush(0));

    // ---- flagged: fields --------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_Dispose_that_disposes_the_owned_field_without_flush() => Verify($$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(ProducerConfig config) => _producer = new ProducerBuilder<string, string>(config).Build();

            public void Publish(string id, string json) => _producer.Produce("orders", new Message<string, string> { Key = id, Value = json }, {{Handler}});

            public void Dispose() => {|#0:_producer.Dispose()|};
        }
        """, NoFlush(0, "_producer"));

    [Fact]
    public Task Flags_a_Dispose_that_ignores_the_flush_result() => Verify($$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

            public void Publish(string id, string json) => _producer.Produce("orders", new Message<string, string> { Key = id, Value = json }, {{Handler}});

            public void Dispose()
            {
                _producer.Flush(TimeSpan.FromSeconds(5));
                {|#0:_producer.Dispose()|};
            }
        }
        """, FlushIgnored(0, "_producer"));

    [Fact]
    public Task Flags_an_owned_field_never_flushed_or_disposed() => Verify($$"""
        public sealed class MetricsPublisher
        {
            private readonly IProducer<Null, string> {|#0:_producer|};

            public MetricsPublisher(ProducerConfig config) => _producer = new ProducerBuilder<Null, string>(config).Build();

            public void Publish(string json) => _producer.Produce("metrics", new Message<Null, string> { Value = json }, {{Handler}});
        }
        """, NeverFlushed(0, "_producer", "MetricsPublisher"));

    [Fact]
    public Task Flags_a_lazily_built_field_disposed_in_StopAsync() => Verify($$"""
        public sealed class AuditSink : IHostedService
        {
            private readonly ProducerConfig _config = new() { BootstrapServers = "kafka:9092" };
            private IProducer<Null, string>? _producer;

            private IProducer<Null, string> Producer => _producer ??= new ProducerBuilder<Null, string>(_config).Build();

            public void Write(string entry) => Producer.Produce("audit", new Message<Null, string> { Value = entry }, {{Handler}});

            public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken)
            {
                {|#0:_producer?.Dispose()|};
                return Task.CompletedTask;
            }
        }
        """, NoFlush(0, "_producer"));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_flushed_after_the_last_produce() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }

                producer.Flush(CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_flush_result_is_checked() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }

                var remaining = producer.Flush(TimeSpan.FromSeconds(30));
                if (remaining > 0)
                {
                    throw new InvalidOperationException($"{remaining} rows were not exported");
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_finally_flushes_on_every_path() => Verify($$"""
        public sealed class ClickForwarder : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = "kafka:9092" }).Build();
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        producer.Produce("clicks", new Message<Null, string> { Value = "{}" }, {{Handler}});
                        await Task.Delay(100, stoppingToken);
                    }
                }
                finally
                {
                    producer.Flush(CancellationToken.None);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_every_produce_is_an_awaited_ProduceAsync() => Verify("""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

            public async Task PublishAsync(string json) => await _producer.ProduceAsync("orders", new Message<string, string> { Value = json });

            public void Dispose() => _producer.Dispose();
        }
        """);

    [Fact]
    public Task Silent_for_an_injected_producer() => Verify($$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose() => _producer.Dispose();
        }
        """);

    [Fact]
    public Task Silent_for_a_dependent_producer() => Verify($$"""
        public sealed class SecondaryPublisher : IDisposable
        {
            private readonly IProducer<string, byte[]> _producer;

            public SecondaryPublisher(IProducer<string, string> main) => _producer = new DependentProducerBuilder<string, byte[]>(main.Handle).Build();

            public void Publish(byte[] payload) => _producer.Produce("blobs", new Message<string, byte[]> { Value = payload }, r => { if (r.Error.IsError) Console.Error.WriteLine(r.Error); });

            public void Dispose() => _producer.Dispose();
        }
        """);

    [Fact]
    public Task Silent_for_a_transactional_producer() => Verify("""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                producer.InitTransactions(TimeSpan.FromSeconds(10));
                producer.BeginTransaction();
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row });
                }

                producer.CommitTransaction();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_producer_escapes_to_other_code() => Verify($$"""
        class Exporter
        {
            private readonly IProducer<Null, string> _producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();

            public IProducer<Null, string> Producer => _producer;

            void Export(ProducerConfig config, string row)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                Drain(producer);
                _producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
            }

            static void Drain(IProducer<Null, string> producer) { }
        }
        """);

    [Fact]
    public Task Silent_when_the_Dispose_method_calls_a_helper_that_flushes() => Verify($$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose()
            {
                FlushOrThrow();
                _producer.Dispose();
            }

            private void FlushOrThrow()
            {
                if (_producer.Flush(TimeSpan.FromSeconds(30)) > 0)
                {
                    throw new InvalidOperationException("orders left unsent");
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_an_owned_field_is_flushed_by_a_shutdown_method_and_never_disposed() => Verify($$"""
        public sealed class MetricsPublisher
        {
            private readonly IProducer<Null, string> _producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();

            public void Publish(string json) => _producer.Produce("metrics", new Message<Null, string> { Value = json }, {{Handler}});

            public void Shutdown() => _producer.Flush(CancellationToken.None);
        }
        """);

    [Fact]
    public Task Silent_when_only_other_exceptions_skip_the_flush() => Verify($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                foreach (var row in rows)
                {
                    if (row.Length == 0)
                    {
                        throw new ArgumentException("empty row");
                    }

                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }

                producer.Flush(CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_local_is_never_disposed_or_produced_through() => Verify("""
        class Factory
        {
            IProducer<Null, string> Create(ProducerConfig config)
            {
                var producer = new ProducerBuilder<Null, string>(config).Build();
                return producer;
            }

            void Check(ProducerConfig config)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                Console.WriteLine(producer.Name);
            }
        }
        """);

    /// <summary>
    /// confluent-kafka-dotnet test VerifiableClient: Run flushes (reading the count), disposes and clears the field;
    /// Dispose disposes it only if Run did not get there. The type has a proper shutdown path.
    /// </summary>
    [Fact]
    public Task Silent_when_a_shutdown_method_flushes_and_Dispose_is_a_fallback_confluent_VerifiableClient() => Verify($$"""
        public sealed class VerifiableProducer : IDisposable
        {
            private IProducer<byte[], byte[]>? Handle;

            public VerifiableProducer(ProducerConfig config) => Handle = new ProducerBuilder<byte[], byte[]>(config).Build();

            public void Run(string topic, int count)
            {
                for (var i = 0; i < count; i++)
                {
                    Handle!.Produce(topic, new Message<byte[], byte[]> { Value = new byte[1] }, {{Handler}});
                }

                var remain = Handle!.Flush(TimeSpan.FromSeconds(10));
                Console.WriteLine($"{remain} messages remain");
                Handle.Dispose();
                Handle = null;
            }

            public void Dispose()
            {
                if (Handle != null)
                {
                    Handle.Dispose();
                }
            }
        }
        """);
    // ---- messages the code waits for (confluent-kafka-dotnet's tests) ------------------------------

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.Kafka.Benchmark/BenchmarkProducer.cs: the handler counts the reports down
    /// and sets an event the method waits for; the tasks of the other branch are kept and waited with WaitAll. Every
    /// message is delivered before the (ignored) Flush.
    /// </summary>
    [Fact]
    public Task Silent_when_the_code_waits_for_the_handler_signal_confluent_BenchmarkProducer() => Verify("""
        public static class BenchmarkProducer
        {
            public static long Run(ProducerConfig config, string topic, int nMessages, bool useDeliveryHandler)
            {
                DeliveryResult<Null, byte[]>? first = null;
                using (var producer = new ProducerBuilder<Null, byte[]>(config).Build())
                {
                    first = producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[1] }).Result;
                    if (useDeliveryHandler)
                    {
                        var autoEvent = new AutoResetEvent(false);
                        var msgCount = nMessages;
                        Action<DeliveryReport<Null, byte[]>> deliveryHandler = report =>
                        {
                            if (report.Error.IsError)
                            {
                                Console.WriteLine(report.Error.Reason);
                            }

                            if (--msgCount == 0)
                            {
                                autoEvent.Set();
                            }
                        };

                        for (int i = 0; i < nMessages; i += 1)
                        {
                            producer.Produce(topic, new Message<Null, byte[]> { Value = new byte[1] }, deliveryHandler);
                        }

                        while (true)
                        {
                            if (autoEvent.WaitOne(TimeSpan.FromSeconds(1)))
                            {
                                break;
                            }

                            Console.WriteLine(msgCount);
                        }
                    }
                    else
                    {
                        var tasks = new Task[nMessages];
                        for (int i = 0; i < nMessages; i += 1)
                        {
                            tasks[i] = producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[1] });
                        }

                        Task.WaitAll(tasks);
                    }

                    producer.Flush(TimeSpan.FromSeconds(10));
                }

                return first.Offset;
            }
        }
        """);

    /// <summary>The twin of BenchmarkProducer whose wait is not on what the handler signals: the messages may still be queued.</summary>
    [Fact]
    public Task Flags_when_the_code_waits_on_something_the_handler_does_not_signal() => Verify("""
        public static class BenchmarkProducer
        {
            public static void Run(ProducerConfig config, string topic, int nMessages)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, byte[]>(config).Build()|})
                {
                    var autoEvent = new AutoResetEvent(false);
                    var other = new ManualResetEvent(false);
                    var msgCount = nMessages;
                    Action<DeliveryReport<Null, byte[]>> deliveryHandler = report =>
                    {
                        if (report.Error.IsError)
                        {
                            Console.WriteLine(report.Error.Reason);
                        }

                        if (--msgCount == 0)
                        {
                            autoEvent.Set();
                        }
                    };

                    for (int i = 0; i < nMessages; i += 1)
                    {
                        producer.Produce(topic, new Message<Null, byte[]> { Value = new byte[1] }, deliveryHandler);
                    }

                    other.WaitOne(TimeSpan.FromSeconds(1));
                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """, FlushIgnored(0));

    /// <summary>A handler that only logs signals nobody: waiting on an event does not wait for its messages.</summary>
    [Fact]
    public Task Flags_when_the_handler_signals_nothing_and_the_flush_count_is_ignored() => Verify($$"""
        public static class Sender
        {
            public static void Run(ProducerConfig config, string topic, ManualResetEvent done)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|})
                {
                    producer.Produce(topic, new Message<Null, string> { Value = "v" }, {{Handler}});
                    done.WaitOne();
                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """, FlushIgnored(0));

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.Kafka.IntegrationTests/Tests/Producer_Produce_SyncOverAsync.cs: each task
    /// produces one message and waits (Monitor.Wait) until its handler pulses; the test waits for every task
    /// (Task.WaitAll) before the producer is disposed.
    /// </summary>
    [Fact]
    public Task Silent_when_each_task_waits_for_its_report_and_the_tasks_are_waited_confluent_Producer_Produce_SyncOverAsync() => Verify("""
        public class Tests
        {
            public void Producer_Produce_SyncOverAsync(ProducerConfig pConfig, string topic, int workerThreads)
            {
                using (var producer = new ProducerBuilder<Null, string>(pConfig).Build())
                {
                    var tasks = new List<Task>();
                    int N = workerThreads - 1;
                    for (int i = 0; i < N; ++i)
                    {
                        Func<int, Action> actionCreator = (taskNumber) =>
                        {
                            return () =>
                            {
                                object waitObj = new object();

                                Action<DeliveryReport<Null, string>> handler = dr =>
                                {
                                    if (dr.Error.IsError)
                                    {
                                        throw new InvalidOperationException(dr.Error.Reason);
                                    }

                                    lock (waitObj)
                                    {
                                        Monitor.Pulse(waitObj);
                                    }
                                };

                                producer.Produce(topic, new Message<Null, string> { Value = $"value: {taskNumber}" }, handler);

                                lock (waitObj)
                                {
                                    Monitor.Wait(waitObj);
                                }
                            };
                        };

                        tasks.Add(Task.Run(actionCreator(i)));
                    }

                    Task.WaitAll(tasks.ToArray());
                }
            }
        }
        """);

    /// <summary>The twin of Producer_Produce_SyncOverAsync that does not wait for the tasks: disposal may come first.</summary>
    [Fact]
    public Task Flags_when_tasks_that_wait_for_their_reports_are_not_waited_before_disposal() => Verify("""
        public class Tests
        {
            public void Produce_all(ProducerConfig pConfig, string topic, int n)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(pConfig).Build()|})
                {
                    for (int i = 0; i < n; ++i)
                    {
                        Task.Run(() =>
                        {
                            var done = new ManualResetEventSlim();
                            producer.Produce(topic, new Message<Null, string> { Value = "v" }, dr =>
                            {
                                Console.WriteLine(dr.Error);
                                done.Set();
                            });
                            done.Wait();
                        });
                    }
                }
            }
        }
        """, NoFlush(0));

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.SchemaRegistry.Serdes.IntegrationTests/Tests_Avro/SyncOverAsync.cs has the
    /// shape of Producer_Produce_SyncOverAsync (Monitor.Pulse/Wait in Task.Run tasks, then Task.WaitAll); here its async
    /// form: a TaskCompletionSource the handler completes and the task awaits, and an awaited Task.WhenAll.
    /// </summary>
    [Fact]
    public Task Silent_when_each_task_awaits_its_report_and_the_tasks_are_awaited_confluent_Avro_SyncOverAsync() => Verify("""
        public static class Tests
        {
            public static async Task SyncOverAsync(ProducerConfig pConfig, int n)
            {
                var topic = Guid.NewGuid().ToString();
                using var producer = new ProducerBuilder<Null, string>(pConfig).Build();
                var tasks = new List<Task>();
                for (int i = 0; i < n; ++i)
                {
                    var taskNumber = i;
                    tasks.Add(Task.Run(async () =>
                    {
                        var delivered = new TaskCompletionSource<bool>();
                        producer.Produce(topic, new Message<Null, string> { Value = $"value: {taskNumber}" }, dr => delivered.SetResult(!dr.Error.IsError));
                        await delivered.Task;
                    }));
                }

                await Task.WhenAll(tasks);
            }
        }
        """);

    /// <summary>The twin whose tasks do not wait for their own report: the outer wait says nothing about the messages.</summary>
    [Fact]
    public Task Flags_when_the_tasks_are_awaited_but_do_not_wait_for_their_reports() => Verify("""
        public static class Tests
        {
            public static async Task SyncOverAsync(ProducerConfig pConfig, int n)
            {
                var topic = Guid.NewGuid().ToString();
                using {|#0:var producer = new ProducerBuilder<Null, string>(pConfig).Build()|};
                var tasks = new List<Task>();
                for (int i = 0; i < n; ++i)
                {
                    tasks.Add(Task.Run(async () =>
                    {
                        var delivered = new TaskCompletionSource<bool>();
                        producer.Produce(topic, new Message<Null, string> { Value = "v" }, dr => delivered.SetResult(!dr.Error.IsError));
                        await Task.Delay(10);
                    }));
                }

                await Task.WhenAll(tasks);
            }
        }
        """, NoFlush(0));
    // ---- still reported: delivery made sure of in ways the model does not follow (docs: "Still reported") ----

    /// <summary>confluent-kafka-dotnet IntegrationTests/Tests/Headers.cs:53: the Flush count is ignored; the reports the handler collected are read after it.</summary>
    [Fact]
    public Task Still_flags_an_ignored_flush_count_when_the_collected_reports_are_read_confluent_Headers() => Verify("""
        public class Tests
        {
            public void MessageHeaderProduceConsume(ProducerConfig config, string topic)
            {
                var drs = new List<DeliveryReport<Null, string>>();
                using ({|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|})
                {
                    Action<DeliveryReport<Null, string>> dh = dr => drs.Add(dr);
                    producer.Produce(topic, new Message<Null, string> { Value = "the value" }, dh);
                    producer.Produce(topic, new Message<Null, string> { Value = "the value" }, dh);
                    producer.Flush(TimeSpan.FromSeconds(10));
                    Console.WriteLine(drs[1].Message.Value);
                }
            }
        }
        """, FlushIgnored(0));

    /// <summary>confluent-kafka-dotnet IntegrationTests/Tests/Producer_Poll.cs: the count of events Poll served is asserted.</summary>
    [Fact]
    public Task Still_flags_a_produce_followed_by_a_poll_whose_count_is_checked_confluent_Producer_Poll() => Verify("""
        public class Tests
        {
            public void Producer_Poll(ProducerConfig config, string topic)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|})
                {
                    producer.Produce(topic, new Message<Null, string> { Value = "a message 2" }, dr => Console.WriteLine(dr.Error));
                    if (producer.Poll(TimeSpan.FromSeconds(4)) != 1)
                    {
                        throw new InvalidOperationException("no report");
                    }
                }
            }
        }
        """, NoFlush(0));

    /// <summary>confluent-kafka-dotnet IntegrationTests/Tests/Headers_SerializationContext.cs: the message is consumed back before the producer is disposed.</summary>
    [Fact]
    public Task Still_flags_a_discarded_ProduceAsync_whose_message_is_consumed_back_confluent_Headers_SerializationContext() => Verify("""
        public class Tests
        {
            public void HeadersSerializationContext(ProducerConfig producerConfig, ConsumerConfig consumerConfig, string topic)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(producerConfig).Build()|})
                using (var consumer = new ConsumerBuilder<Null, string>(consumerConfig).Build())
                {
                    producer.ProduceAsync(topic, new Message<Null, string> { Value = "aaa" });
                    consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
                    var cr = consumer.Consume();
                    Console.WriteLine(cr.Message.Value);
                }
            }
        }
        """, NoFlush(0));
}
