using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.HostingRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>
/// KAFKA114: a consume loop on the host's start-up path. ExecuteAsync counts only with
/// Microsoft.Extensions.Hosting.Abstractions before 10.0 (pinned here with the 8.0, 9.0 and 10.0 reference
/// assemblies); StartAsync on every version.
/// </summary>
public class KAFKA114Tests
{
    private const string Rule = "KAFKA114";

    private const string ExecuteReason = "up to Microsoft.Extensions.Hosting 9.x the host runs ExecuteAsync synchronously until its first await{0}, so no later hosted service and not the web server starts until a message arrives";

    private const string StartReason = "the host awaits StartAsync before starting the next hosted service and the web server, and this consume loop{0} does not return until the service stops";

    private static DiagnosticResult Execute(int marker, string type = "OrderWorker", string via = "")
        => Diagnostic(Descriptors.KAFKA114_ConsumeLoopBlocksHostStart).WithLocation(marker)
            .WithArguments($"{type}.ExecuteAsync", string.Format(ExecuteReason, via.Length == 0 ? "" : $" (through '{via}')"));

    private static DiagnosticResult Start(int marker, string type = "OrderWorker", string via = "")
        => Diagnostic(Descriptors.KAFKA114_ConsumeLoopBlocksHostStart).WithLocation(marker)
            .WithArguments($"{type}.StartAsync", string.Format(StartReason, via.Length == 0 ? "" : $" (through '{via}')"));

    private static string Worker(string execute, string members = "") => $$"""
        public sealed class OrderWorker : BackgroundService
        {
            private readonly IConsumer<string, string> _consumer;

            public OrderWorker(IConsumer<string, string> consumer) => _consumer = consumer;

        {{execute}}

            private static void Handle(string value) { }

            private static Task HandleAsync(string value) => Task.CompletedTask;
        {{members}}
        }
        """;

    private const string BlockingLoop = """
            protected override async Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
            {
                _consumer.Subscribe("orders");
                while (!stoppingToken.IsCancellationRequested)
                {
                    var result = _consumer.Consume(stoppingToken);
                    await HandleAsync(result.Message.Value);
                }
            }
        """;

    private const string YieldingLoop = """
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                await Task.Yield();
                _consumer.Subscribe("orders");
                while (!stoppingToken.IsCancellationRequested)
                {
                    var result = _consumer.Consume(stoppingToken);
                    await HandleAsync(result.Message.Value);
                }
            }
        """;

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    public Task Flags_cancellation_token_consume_before_the_first_await(int hosting)
        => VerifyAsync(Rule, Worker(BlockingLoop), hosting, Execute(0));

    [Fact]
    public Task Flags_infinite_timeout_in_a_synchronous_execute()
        => VerifyAsync(Rule, Worker("""
                protected override Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(Timeout.Infinite);
                        Handle(result.Message.Value);
                    }

                    return Task.CompletedTask;
                }
            """), 9, Execute(0));

    [Fact]
    public Task Flags_finite_timeout_when_the_empty_path_never_awaits()
        => VerifyAsync(Rule, Worker("""
                protected override async Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(TimeSpan.FromSeconds(1));
                        if (result == null)
                        {
                            continue;
                        }

                        await HandleAsync(result.Message.Value);
                    }
                }
            """), 9, Execute(0));

    /// <summary>
    /// The same Convert.ToDouble-on-a-char crash as KAFKA112's (long mutation run, seed 20261204), in the shared
    /// ConsumeReach wait reading: a char timeout is a finite wait, a string where a number belongs is unknown.
    /// </summary>
    [Fact]
    public Task Reads_a_char_timeout_as_finite_and_a_string_as_unknown_long_mutation_run()
        => VerifyAsync(Rule, Worker("""
                protected override async Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(TimeSpan.FromSeconds('c'));
                        var broken = _consumer.Consume(TimeSpan.FromSeconds({|CS1503:"soon"|}));
                        if (result == null)
                        {
                            continue;
                        }

                        await HandleAsync(result.Message.Value);
                    }
                }
            """), 9, Execute(0));

    [Fact]
    public Task Flags_a_loop_in_a_method_execute_calls()
        => VerifyAsync(Rule, Worker("""
                protected override Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    Run(stoppingToken);
                    return Task.CompletedTask;
                }
            """, """
                private void Run(CancellationToken token)
                {
                    while (true)
                    {
                        var result = _consumer.Consume(token);
                        Handle(result.Message.Value);
                    }
                }
            """), 9, Execute(0, via: "Run"));

    [Fact]
    public Task Flags_an_awaited_async_loop_that_consumes_before_its_first_await()
        => VerifyAsync(Rule, Worker("""
                protected override async Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    await RunAsync(stoppingToken);
                }
            """, """
                private async Task RunAsync(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(token);
                        await HandleAsync(result.Message.Value);
                    }
                }
            """), 9, Execute(0, via: "RunAsync"));

    [Fact]
    public Task Flags_a_loop_in_another_project_type()
        => VerifyAsync(Rule, """
            public sealed class ConsumeLoop
            {
                private readonly IConsumer<string, string> _consumer;

                public ConsumeLoop(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(token).Message.Value);
                    }
                }
            }

            public sealed class LoopHost : BackgroundService
            {
                private readonly ConsumeLoop _loop;
                private readonly IConsumer<string, string> _consumer;

                public LoopHost(ConsumeLoop loop, IConsumer<string, string> consumer) { _loop = loop; _consumer = consumer; }

                protected override Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    _consumer.Subscribe("orders");
                    _loop.Run(stoppingToken);
                    return Task.CompletedTask;
                }
            }
            """, 9, Execute(0, "LoopHost", "Run"));

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public Task Flags_a_hosted_service_start_that_runs_the_loop(int hosting)
        => VerifyAsync(Rule, """
            public sealed class OrderWorker : IHostedService
            {
                private readonly IConsumer<string, string> _consumer;

                public OrderWorker(IConsumer<string, string> consumer) => _consumer = consumer;

                public async Task {|#0:StartAsync|}(CancellationToken cancellationToken)
                {
                    _consumer.Subscribe("orders");
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(TimeSpan.FromMilliseconds(500));
                        if (result is null)
                        {
                            await Task.Delay(100, cancellationToken);
                            continue;
                        }

                        Console.WriteLine(result.Message.Value);
                    }
                }

                public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """, hosting, Start(0));

    [Fact]
    public Task Fix_yields_first()
        => VerifyFixAsync(Worker("""
                protected override async Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    // subscribe once, then poll until the host stops
                    _consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken); // blocks until a message
                        await HandleAsync(result.Message.Value);
                    }
                }
            """), new[] { Execute(0) }, Worker("""
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    // subscribe once, then poll until the host stops
                    _consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken); // blocks until a message
                        await HandleAsync(result.Message.Value);
                    }
                }
            """));

    [Fact]
    public Task Fix_all_yields_first_in_every_worker()
        => VerifyFixAsync(Worker(BlockingLoop) + Worker(BlockingLoop.Replace("#0", "#1")).Replace("OrderWorker", "AuditWorker"),
            new[] { Execute(0), Execute(1, "AuditWorker") },
            Worker(YieldingLoop) + Worker(YieldingLoop).Replace("OrderWorker", "AuditWorker"));

    [Fact]
    public Task No_fix_for_a_synchronous_execute()
        => VerifyFixAsync(Worker("""
                protected override Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    while (true)
                    {
                        Handle(_consumer.Consume(stoppingToken).Message.Value);
                    }
                }
            """), new[] { Execute(0) }, Worker("""
                protected override Task {|#0:ExecuteAsync|}(CancellationToken stoppingToken)
                {
                    while (true)
                    {
                        Handle(_consumer.Consume(stoppingToken).Message.Value);
                    }
                }
            """), remaining: new[] { Execute(0) });

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_from_hosting_10_where_execute_runs_on_the_thread_pool()
        => VerifyAsync(Rule, Worker(BlockingLoop.Replace("{|#0:ExecuteAsync|}", "ExecuteAsync")), 10);

    [Fact]
    public Task Silent_when_the_hosting_version_is_unknown()
        => VerifyAsync(Rule, """
            namespace Microsoft.Extensions.Hosting
            {
                public abstract class BackgroundService
                {
                    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
                }
            }

            public sealed class OrderWorker : Microsoft.Extensions.Hosting.BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;

                public OrderWorker(IConsumer<string, string> consumer) => _consumer = consumer;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken);
                        await Task.Delay(1);
                    }
                }
            }
            """.Replace("using Microsoft.Extensions.Hosting;", ""), 0);

    [Fact]
    public Task Silent_when_execute_yields_first()
        => VerifyAsync(Rule, Worker(YieldingLoop), 9);

    [Fact]
    public Task Silent_when_an_await_runs_before_the_loop()
        => VerifyAsync(Rule, Worker(BlockingLoop.Replace("{|#0:ExecuteAsync|}", "ExecuteAsync").Replace("_consumer.Subscribe(\"orders\");", "await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);")), 9);

    [Fact]
    public Task Silent_when_the_loop_runs_in_task_run()
        => VerifyAsync(Rule, Worker("""
                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                    => Task.Run(() =>
                    {
                        while (!stoppingToken.IsCancellationRequested)
                        {
                            Handle(_consumer.Consume(stoppingToken).Message.Value);
                        }
                    }, stoppingToken);
            """), 9);

    [Fact]
    public Task Silent_when_the_empty_path_awaits()
        => VerifyAsync(Rule, Worker("""
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                        if (result == null)
                        {
                            await Task.Delay(50, stoppingToken);
                            continue;
                        }

                        Handle(result.Message.Value);
                    }
                }
            """), 9);

    [Fact]
    public Task Silent_for_a_configured_timeout_when_every_iteration_awaits()
        => VerifyAsync(Rule, Worker("""
                public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(1);

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(PollTimeout);
                        await Task.Delay(10, stoppingToken);
                        if (result != null) Handle(result.Message.Value);
                    }
                }
            """), 9);

    [Fact]
    public Task Silent_for_one_finite_poll_outside_a_loop()
        => VerifyAsync(Rule, Worker("""
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    var warmUp = _consumer.Consume(TimeSpan.FromSeconds(1));
                    await Task.Delay(1000, stoppingToken);
                }
            """), 9);

    [Fact]
    public Task Silent_when_start_hands_the_loop_to_a_task()
        => VerifyAsync(Rule, """
            public sealed class OrderWorker : IHostedService
            {
                private readonly IConsumer<string, string> _consumer;
                private Task? _loop;

                public OrderWorker(IConsumer<string, string> consumer) => _consumer = consumer;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _loop = Task.Run(() =>
                    {
                        while (true) Console.WriteLine(_consumer.Consume(cancellationToken).Message.Value);
                    });
                    return Task.CompletedTask;
                }

                public Task StopAsync(CancellationToken cancellationToken) => _loop ?? Task.CompletedTask;
            }
            """, 9);

    [Fact]
    public Task Silent_when_start_fires_an_async_loop_that_yields_first()
        => VerifyAsync(Rule, """
            public sealed class OrderWorker : IHostedService
            {
                private readonly IConsumer<string, string> _consumer;

                public OrderWorker(IConsumer<string, string> consumer) => _consumer = consumer;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _ = RunAsync(cancellationToken);
                    return Task.CompletedTask;
                }

                private async Task RunAsync(CancellationToken token)
                {
                    await Task.Yield();
                    while (!token.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(token).Message.Value);
                    }
                }

                public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """, 9);

    [Fact]
    public Task Silent_when_a_worker_replaces_start()
        => VerifyAsync(Rule, Worker(BlockingLoop.Replace("{|#0:ExecuteAsync|}", "ExecuteAsync"), """
                public override Task StartAsync(CancellationToken cancellationToken)
                {
                    _ = base.StartAsync(cancellationToken);
                    return Task.CompletedTask;
                }
            """), 9);

    [Fact]
    public Task Silent_for_a_loop_in_stop()
        => VerifyAsync(Rule, Worker("""
                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

                public override Task StopAsync(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        var result = _consumer.Consume(TimeSpan.Zero);
                        if (result == null) break;
                        Handle(result.Message.Value);
                    }

                    return base.StopAsync(cancellationToken);
                }
            """), 9);

    [Fact]
    public Task Silent_for_a_loop_that_is_not_a_hosted_service()
        => VerifyAsync(Rule, """
            public sealed class OrderWorker
            {
                public async Task ExecuteAsync(IConsumer<string, string> consumer, CancellationToken stoppingToken)
                {
                    while (true)
                    {
                        var result = consumer.Consume(stoppingToken);
                        await Task.Delay(1);
                    }
                }
            }
            """, 9);
}
