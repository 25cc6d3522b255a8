using KafkaAnalyzers.CodeFixes.Producers;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA004 fixes: a handler that logs or captures failures; or await ProduceAsync in an async method.</summary>
public class KAFKA004FixTests
{
    private static DiagnosticResult NoHandler(int location) => Diagnostic(Descriptors.KAFKA004_ProduceWithoutHandler).WithLocation(location);

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource, int? action = null)
        => VerifyFixAsync<DeliveryHandlerCodeFixProvider>("KAFKA004", source, expected, fixedSource, action);

    /// <summary>
    /// samples/ReliablePipeline NaiveOrderPublisher (found by the real-code run): fields named without an
    /// underscore, so the captured-failure field is <c>deliveryFailure</c>; the check's pattern variable must
    /// not take that name (CS0844).
    /// </summary>
    [Fact]
    public Task Captures_failures_in_a_type_whose_fields_have_no_underscore() => VerifyFix("""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, byte[]> producer;
            private readonly string topic;

            public OrderPublisher(IProducer<string, byte[]> producer, string topic)
            {
                this.producer = producer;
                this.topic = topic;
            }

            public void Publish(string orderId, byte[] payload)
            {
                {|#0:producer.Produce(topic, new Message<string, byte[]> { Key = orderId, Value = payload })|};
            }

            public void Dispose() => producer.Dispose();
        }
        """, new[] { NoHandler(0) }, """
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, byte[]> producer;
            private readonly string topic;
            private Exception? deliveryFailure;

            public OrderPublisher(IProducer<string, byte[]> producer, string topic)
            {
                this.producer = producer;
                this.topic = topic;
            }

            public void Publish(string orderId, byte[] payload)
            {
                switch (Interlocked.Exchange(ref deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                producer.Produce(topic, new Message<string, byte[]> { Key = orderId, Value = payload }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref deliveryFailure, new ProduceException<string, byte[]>(report.Error, report), null);
                    }
                });
            }

            public void Dispose() => producer.Dispose();
        }
        """);

    [Fact]
    public Task Logs_to_the_ILogger_field_at_Error_level() => VerifyFix("""
        using Microsoft.Extensions.Logging;

        public sealed class OrderEvents
        {
            private readonly IProducer<string, string> _producer;
            private readonly ILogger<OrderEvents> _logger;

            public OrderEvents(IProducer<string, string> producer, ILogger<OrderEvents> logger)
            {
                _producer = producer;
                _logger = logger;
            }

            public void Publish(string id, string json)
            {
                // the order id is the key, so one order stays in one partition
                {|#0:_producer.Produce("orders", new Message<string, string> { Key = id, Value = json })|};
            }
        }
        """, new[] { NoHandler(0) }, """
        using Microsoft.Extensions.Logging;

        public sealed class OrderEvents
        {
            private readonly IProducer<string, string> _producer;
            private readonly ILogger<OrderEvents> _logger;

            public OrderEvents(IProducer<string, string> producer, ILogger<OrderEvents> logger)
            {
                _producer = producer;
                _logger = logger;
            }

            public void Publish(string id, string json)
            {
                // the order id is the key, so one order stays in one partition
                _producer.Produce("orders", new Message<string, string> { Key = id, Value = json }, report =>
                {
                    if (report.Error.IsError)
                    {
                        _logger.LogError("Kafka delivery to {Topic} failed: {Reason}", report.Topic, report.Error.Reason);
                    }
                });
            }
        }
        """);

    [Fact]
    public Task Adds_the_logging_using_when_the_logger_is_fully_qualified() => VerifyFix("""
        class Service
        {
            void Run(IProducer<string, string> producer, Microsoft.Extensions.Logging.ILogger log, Message<string, string> message)
            {
                {|#0:producer.Produce("orders", message, null)|};
            }
        }
        """, new[] { NoHandler(0) }, """
        using Microsoft.Extensions.Logging;

        class Service
        {
            void Run(IProducer<string, string> producer, Microsoft.Extensions.Logging.ILogger log, Message<string, string> message)
            {
                producer.Produce("orders", message, report =>
                {
                    if (report.Error.IsError)
                    {
                        log.LogError("Kafka delivery to {Topic} failed: {Reason}", report.Topic, report.Error.Reason);
                    }
                });
            }
        }
        """);

    /// <summary>
    /// Streamiz's tests (found by the real-code run): two calls in one block. The check used to be
    /// <c>if (... is Exception failure)</c>, whose variable belongs to the enclosing block, so Fix All declared
    /// it twice (CS0128); a switch section keeps each one to itself. The verifier compiles every fixed state.
    /// </summary>
    [Fact]
    public Task Fix_All_on_two_calls_in_one_block_compiles() => VerifyFix("""
        public sealed class AuditWriter
        {
            private readonly IProducer<string, string> _producer;

            public AuditWriter(IProducer<string, string> producer) => _producer = producer;

            public void Write(string user, string action)
            {
                {|#0:_producer.Produce("audit", new Message<string, string> { Key = user, Value = action })|};
                {|#1:_producer.Produce("audit-archive", new Message<string, string> { Key = user, Value = action })|};
            }
        }
        """, new[] { NoHandler(0), NoHandler(1) }, """
        public sealed class AuditWriter
        {
            private readonly IProducer<string, string> _producer;
            private Exception? _deliveryFailure;

            public AuditWriter(IProducer<string, string> producer) => _producer = producer;

            public void Write(string user, string action)
            {
                switch (Interlocked.Exchange(ref _deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                _producer.Produce("audit", new Message<string, string> { Key = user, Value = action }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                    }
                });
                switch (Interlocked.Exchange(ref _deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                _producer.Produce("audit-archive", new Message<string, string> { Key = user, Value = action }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                    }
                });
            }
        }
        """);

    [Fact]
    public Task Without_a_logger_captures_the_failure_and_throws_it_on_the_next_call() => VerifyFix("""
        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;

            public PaymentPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Charge(string json) => {|#0:_producer.Produce("payments", new Message<string, string> { Value = json })|};

            public void Refund(string json)
            {
                {|#1:_producer.Produce("refunds", new Message<string, string> { Value = json })|}; // refunds are rare
            }
        }
        """, new[] { NoHandler(0), NoHandler(1) }, """
        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;
            private Exception? _deliveryFailure;

            public PaymentPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Charge(string json)
            {
                switch (Interlocked.Exchange(ref _deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                _producer.Produce("payments", new Message<string, string> { Value = json }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                    }
                });
            }

            public void Refund(string json)
            {
                switch (Interlocked.Exchange(ref _deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                _producer.Produce("refunds", new Message<string, string> { Value = json }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                    }
                }); // refunds are rare
            }
        }
        """);

    [Fact]
    public Task Converts_to_await_ProduceAsync_in_an_async_method() => VerifyFix("""
        public sealed class OrderApi
        {
            private readonly IProducer<string, string> _producer;

            public OrderApi(IProducer<string, string> producer) => _producer = producer;

            public async Task<string> CreateAsync(string json)
            {
                var id = Guid.NewGuid().ToString();
                {|#0:_producer.Produce("orders", new Message<string, string> { Key = id, Value = json })|};
                await Task.Yield();
                return id;
            }
        }
        """, new[] { NoHandler(0) }, """
        public sealed class OrderApi
        {
            private readonly IProducer<string, string> _producer;

            public OrderApi(IProducer<string, string> producer) => _producer = producer;

            public async Task<string> CreateAsync(string json)
            {
                var id = Guid.NewGuid().ToString();
                await _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json });
                await Task.Yield();
                return id;
            }
        }
        """, action: 1);

    [Fact]
    public Task Await_is_not_offered_in_a_loop_or_a_sync_method_but_the_handler_is() => VerifyFix("""
        class Service
        {
            async Task Run(IProducer<string, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    {|#0:producer.Produce("rows", new Message<string, string> { Value = row })|};
                }

                await Task.Yield();
            }
        }
        """, new[] { NoHandler(0) }, """
        class Service
        {
            private Exception? _deliveryFailure;

            async Task Run(IProducer<string, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    switch (Interlocked.Exchange(ref _deliveryFailure, null))
                    {
                        case Exception failure:
                            throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                    }

                    producer.Produce("rows", new Message<string, string> { Value = row }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                        }
                    });
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Static_context_gets_a_static_field_and_an_existing_field_is_reused() => VerifyFix("""
        static class Telemetry
        {
            private static Exception? _deliveryFailure;

            public static void Send(IProducer<Null, string> producer, string json)
            {
                if (json.Length > 0)
                    {|#0:producer.Produce("telemetry", new Message<Null, string> { Value = json })|};
            }
        }
        """, new[] { NoHandler(0) }, """
        static class Telemetry
        {
            private static Exception? _deliveryFailure;

            public static void Send(IProducer<Null, string> producer, string json)
            {
                if (json.Length > 0)
                {
                    switch (Interlocked.Exchange(ref _deliveryFailure, null))
                    {
                        case Exception failure:
                            throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                    }

                    producer.Produce("telemetry", new Message<Null, string> { Value = json }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<Null, string>(report.Error, report), null);
                        }
                    });
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_without_a_logger_where_no_field_can_be_added() => VerifyNoFixAsync<DeliveryHandlerCodeFixProvider>("KAFKA004", """
        interface IPublisher
        {
            void Publish(IProducer<string, string> producer, string json) => {|#0:producer.Produce("orders", new Message<string, string> { Value = json })|};
        }
        """, NoHandler(0));

    /// <summary>
    /// confluent-kafka-dotnet's integration tests (found by the real-code run): one partial class <c>Tests</c>
    /// across many files, a Produce without a handler in several of them. Fix All in a project fixes each
    /// document on its own, so the capture fix added a <c>deliveryFailure</c> field to every part (CS0229). With
    /// more than one part and no such field yet, the capture fix is not offered.
    /// </summary>
    [Fact]
    public Task No_capture_fix_for_a_partial_class_in_several_files_confluent_IntegrationTests()
    {
        var test = new Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer, DeliveryHandlerCodeFixProvider>.Test();
        foreach (var (path, source) in PartialTests(handler: false))
        {
            test.TestState.Sources.Add((path, source));
            test.FixedState.Sources.Add((path, source));
        }

        test.DisabledDiagnostics.AddRange(new KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer().SupportedDiagnostics.Select(d => d.Id).Where(id => id != "KAFKA004"));
        test.ExpectedDiagnostics.Add(NoHandler(0));
        test.ExpectedDiagnostics.Add(NoHandler(1));
        return test.RunAsync();
    }

    /// <summary>The twin: the same partial class when one part already declares the captured-failure field gets the fix, which reuses it.</summary>
    [Fact]
    public Task Capture_fix_reuses_the_field_another_part_of_a_partial_class_declares()
    {
        var test = new Verifiers.CSharpCodeFixVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer, DeliveryHandlerCodeFixProvider>.Test();
        var field = "\n    public partial class Tests\n    {\n        private Exception deliveryFailure;\n    }\n";
        foreach (var (path, source) in PartialTests(handler: false))
        {
            test.TestState.Sources.Add((path, source));
        }

        foreach (var (path, source) in PartialTests(handler: true))
        {
            test.FixedState.Sources.Add((path, source));
        }

        test.TestState.Sources.Add(("/0/Field.cs", ProducerSources.Usings + field));
        test.FixedState.Sources.Add(("/0/Field.cs", ProducerSources.Usings + field));
        test.DisabledDiagnostics.AddRange(new KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer().SupportedDiagnostics.Select(d => d.Id).Where(id => id != "KAFKA004"));
        test.ExpectedDiagnostics.Add(NoHandler(0));
        test.ExpectedDiagnostics.Add(NoHandler(1));
        return test.RunAsync();
    }

    private static IEnumerable<(string Path, string Source)> PartialTests(bool handler)
    {
        foreach (var (name, marker) in new[] { ("AlterOffsets", 0), ("ListOffsets", 1) })
        {
            var call = handler
                ? $$"""
                    switch (Interlocked.Exchange(ref deliveryFailure, null))
                            {
                                case Exception failure:
                                    throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                            }

                            producer.Produce("{{name}}", new Message<string, string> { Value = "v" }, report =>
                            {
                                if (report.Error.IsError)
                                {
                                    Interlocked.CompareExchange(ref deliveryFailure, new ProduceException<string, string>(report.Error, report), null);
                                }
                            });
                    """
                : $$"""{|#{{marker}}:producer.Produce("{{name}}", new Message<string, string> { Value = "v" })|};""";
            yield return ($"/0/{name}.cs", ProducerSources.Usings + $$"""
                public partial class Tests
                {
                    public void {{name}}(IProducer<string, string> producer)
                    {
                        {{call}}
                        producer.Flush(TimeSpan.FromSeconds(10));
                    }
                }
                """);
        }
    }
}
