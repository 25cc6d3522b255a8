using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA102: the consumer used from worker threads while its loop goes on, or closed from a stop method while the loop may still run.</summary>
public class KAFKA102Tests
{
    private const string Rule = "KAFKA102";

    private static DiagnosticResult Worker(int marker, string method, string handOff)
        => Diagnostic(Descriptors.KAFKA102_OffsetsFromWorkerThreads).WithLocation(marker)
            .WithArguments($"'{method}' on the consumer runs on a worker thread ({handOff}) while the consume loop goes on: offsets stored or committed by workers land in whatever order they finish, so a later offset marks earlier, unfinished messages as done");

    private static DiagnosticResult Stop(int marker, string method, string stop)
        => Diagnostic(Descriptors.KAFKA102_OffsetsFromWorkerThreads).WithLocation(marker)
            .WithArguments($"'{method}' in '{stop}' runs while the consume loop may still be inside a call on the consumer on another thread: wait for the loop to end (await its task) before closing or disposing the consumer");

    private static string Loop(string body, string members = "") => $$"""
        public sealed class Dispatcher
        {
            private readonly IConsumer<string, string> _consumer;

            public Dispatcher(IConsumer<string, string> consumer) => _consumer = consumer;

            public void Run(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var result = _consumer.Consume(ct);
        {{body}}
                }
            }

            private static Task ProcessAsync(string value) => Task.Delay(value.Length);
        {{members}}
        }
        """;

    [Fact]
    public Task Flags_store_offset_inside_task_run()
        => VerifyAsync(Rule, Loop("""
                    _ = Task.Run(async () =>
                    {
                        await ProcessAsync(result.Message.Value);
                        {|#0:_consumer.StoreOffset(result)|};
                    });
            """), Worker(0, "StoreOffset", "'Task.Run'"));

    [Fact]
    public Task Flags_commit_in_a_continuation()
        => VerifyAsync(Rule, Loop("""
                    ProcessAsync(result.Message.Value).ContinueWith(_ => {|#0:_consumer.Commit(result)|});
            """), Worker(0, "Commit", "'Task.ContinueWith'"));

    [Fact]
    public Task Flags_a_same_type_method_that_commits_called_from_the_worker()
        => VerifyAsync(Rule, Loop("""
                    _ = Task.Run(() => {|#0:Complete(result)|});
            """, """
            private void Complete(ConsumeResult<string, string> result)
            {
                ProcessAsync(result.Message.Value).Wait();
                _consumer.Commit(result);
            }
            """), Worker(0, "Commit", "'Task.Run'"));

    [Fact]
    public Task Flags_parallel_for_each_storing_offsets()
        => VerifyAsync(Rule, """
            public sealed class Batcher
            {
                private readonly IConsumer<string, string> _consumer;

                public Batcher(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    while (true)
                    {
                        var batch = new List<ConsumeResult<string, string>>();
                        for (var i = 0; i < 100; i++)
                        {
                            batch.Add(_consumer.Consume(ct));
                        }

                        Parallel.ForEach(batch, r => {|#0:_consumer.StoreOffset(r)|});
                    }
                }
            }
            """, Worker(0, "StoreOffset", "'Parallel.ForEach'"));

    [Fact]
    public Task Flags_timer_callback_committing_while_the_loop_runs()
        => VerifyAsync(Rule, """
            public sealed class Committer
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly Timer _timer;

                public Committer(IConsumer<string, string> consumer)
                {
                    _consumer = consumer;
                    _timer = new Timer(_ => {|#0:_consumer.Commit()|}, null, 5000, 5000);
                }

                public void Run(CancellationToken ct)
                {
                    while (true)
                    {
                        _consumer.Consume(ct);
                    }
                }
            }
            """, Worker(0, "Commit", "a new 'Timer'"));

    [Fact]
    public Task Flags_close_in_StopAsync_before_the_loop_ends()
        => VerifyAsync(Rule, """
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        _consumer.Consume(stoppingToken);
                    }
                }

                public override async Task StopAsync(CancellationToken cancellationToken)
                {
                    {|#0:_consumer.Close()|};
                    await base.StopAsync(cancellationToken);
                }
            }
            """, Stop(0, "Close", "StopAsync"));

    [Fact]
    public Task Flags_dispose_of_a_hosted_service_whose_loop_task_is_not_awaited()
        => VerifyAsync(Rule, """
            public sealed class Listener : IHostedService, IDisposable
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly CancellationTokenSource _stop = new();

                public Listener(IConsumer<string, string> consumer) => _consumer = consumer;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _ = Task.Run(Loop, cancellationToken);
                    return Task.CompletedTask;
                }

                public Task StopAsync(CancellationToken cancellationToken)
                {
                    _stop.Cancel();
                    {|#0:_consumer.Close()|};
                    return Task.CompletedTask;
                }

                public void Dispose() => _consumer.Dispose();

                private void Loop()
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        _consumer.Consume(_stop.Token);
                    }
                }
            }
            """, Stop(0, "Close", "StopAsync"));

    /// <summary>
    /// The twin of <see cref="Silent_for_a_fallback_Dispose_next_to_a_proper_shutdown_confluent_VerifiableClient"/>:
    /// Run() closes and disposes without waiting for the consume task, so no member shuts the consumer down
    /// properly and Dispose() may run while the loop is inside Consume.
    /// </summary>
    [Fact]
    public Task Flags_the_Dispose_when_the_other_shutdown_does_not_wait_for_the_loop()
        => VerifyAsync(Rule, VerifiableConsumer(wait: "", marker: true), Stop(0, "Dispose", "Dispose"));

    // ---- negatives ------------------------------------------------------------------------------

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.Kafka.VerifiableClient/Program.cs:340: Dispose() disposes the consumer
    /// if it is not null; Run() cancels, waits for the consume task, closes, disposes and nulls the field. The
    /// Dispose() is the fallback for when Run() did not get that far (shared with KAFKA007: ProperShutdown).
    /// </summary>
    [Fact]
    public Task Silent_for_a_fallback_Dispose_next_to_a_proper_shutdown_confluent_VerifiableClient()
        => VerifyAsync(Rule, VerifiableConsumer(wait: "consumerTask.Wait();", marker: false));

    private static string VerifiableConsumer(string wait, bool marker) => $$"""
        public sealed class VerifiableConsumer : IDisposable
        {
            private IConsumer<Null, string> consumer;

            public VerifiableConsumer(ConsumerConfig config) => consumer = new ConsumerBuilder<Null, string>(config).Build();

            public void Dispose()
            {
                if (consumer != null)
                {
                    {{(marker ? "{|#0:consumer.Dispose()|}" : "consumer.Dispose()")}};
                }
            }

            public void Run(string topic)
            {
                consumer.Subscribe(topic);
                var cts = new CancellationTokenSource();
                var ct = cts.Token;
                var consumerTask = Task.Factory.StartNew(() =>
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
                        Console.WriteLine(cr?.Message.Value);
                    }
                }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                Console.ReadLine();
                cts.Cancel();
                {{wait}}
                consumer.Close();
                consumer.Dispose();
                consumer = null;
            }
        }
        """;


    [Fact]
    public Task Silent_for_a_task_run_that_hosts_the_only_poll_loop()
        => VerifyAsync(Rule, """
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken);
                        _consumer.StoreOffset(result);
                    }

                    _consumer.Close();
                }, stoppingToken);
            }
            """);

    [Fact]
    public Task Silent_when_workers_only_process_and_the_loop_stores()
        => VerifyAsync(Rule, Loop("""
                    Task.Run(() => ProcessAsync(result.Message.Value)).Wait();
                    _consumer.StoreOffset(result);
            """));

    [Fact]
    public Task Silent_when_the_work_is_awaited_before_storing()
        => VerifyAsync(Rule, """
            public sealed class Dispatcher
            {
                private readonly IConsumer<string, string> _consumer;

                public Dispatcher(IConsumer<string, string> consumer) => _consumer = consumer;

                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        await Task.Run(() =>
                        {
                            Console.WriteLine(result.Message.Value);
                            _consumer.StoreOffset(result);
                        });
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_StopAsync_awaits_the_loop_before_closing()
        => VerifyAsync(Rule, """
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        _consumer.Consume(stoppingToken);
                    }
                }

                public override async Task StopAsync(CancellationToken cancellationToken)
                {
                    await base.StopAsync(cancellationToken);
                    _consumer.Close();
                }
            }
            """);

    [Fact]
    public Task Silent_for_Dispose_of_a_BackgroundService_like_the_official_web_example()
        => VerifyAsync(Rule, """
            public sealed class RequestTimeConsumer : BackgroundService
            {
                private readonly IConsumer<string, long> _consumer;

                public RequestTimeConsumer(IConsumer<string, long> consumer) => _consumer = consumer;

                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                    => Task.Run(() => StartConsumerLoop(stoppingToken), stoppingToken);

                private void StartConsumerLoop(CancellationToken cancellationToken)
                {
                    _consumer.Subscribe("request_times");
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try
                        {
                            var cr = _consumer.Consume(cancellationToken);
                            Console.WriteLine($"{cr.Message.Key}: {cr.Message.Value}ms");
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                        catch (ConsumeException e)
                        {
                            Console.WriteLine($"Consume error: {e.Error.Reason}");
                            if (e.Error.IsFatal)
                            {
                                break;
                            }
                        }
                    }
                }

                public override void Dispose()
                {
                    _consumer.Close();
                    _consumer.Dispose();
                    base.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_stop_method_that_waits_for_the_loop_task()
        => VerifyAsync(Rule, """
            public sealed class Listener : IHostedService
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly CancellationTokenSource _stop = new();
                private Task? _loop;

                public Listener(IConsumer<string, string> consumer) => _consumer = consumer;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _loop = Task.Run(Loop, cancellationToken);
                    return Task.CompletedTask;
                }

                public async Task StopAsync(CancellationToken cancellationToken)
                {
                    _stop.Cancel();
                    if (_loop is not null)
                    {
                        await _loop;
                    }

                    _consumer.Close();
                }

                private void Loop()
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        _consumer.Consume(_stop.Token);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_worker_using_another_consumer()
        => VerifyAsync(Rule, Loop("""
                    _ = Task.Run(() => Audit.Commit());
            """, "public IConsumer<string, string> Audit { get; set; } = null!;"));

    [Fact]
    public Task Silent_for_a_synchronous_loop_closing_its_own_consumer()
        => VerifyAsync(Rule, """
            public sealed class Worker : IDisposable
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        _consumer.Consume(ct);
                    }
                }

                public void Dispose()
                {
                    _consumer.Close();
                    _consumer.Dispose();
                }
            }
            """);
}
