using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.HostingRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA117: a consume loop started with Task.Run/StartNew whose task is discarded and that does not catch every exception.</summary>
public class KAFKA117Tests
{
    private const string Rule = "KAFKA117";

    private static DiagnosticResult Expected(int marker, string loop = "lambda")
        => Diagnostic(Descriptors.KAFKA117_ConsumeLoopTaskNeverObserved).WithLocation(marker).WithArguments(loop);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync(Rule, source, 10, expected);

    private static string Starter(string start, string members = "") => $$"""
        public sealed class OrderListener
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly CancellationTokenSource _stop = new();

            public OrderListener(IConsumer<string, string> consumer) => _consumer = consumer;

            public void Start()
            {
                _consumer.Subscribe("orders");
        {{start}}
            }

            private void Listen()
            {
                while (!_stop.IsCancellationRequested)
                {
                    var result = _consumer.Consume(_stop.Token);
                    Handle(result.Message.Value);
                }
            }

            private static void Handle(string value) { }
        {{members}}
        }
        """;

    [Fact]
    public Task Flags_discarded_task_run_of_a_loop_method()
        => Verify(Starter("""
                    _ = {|#0:Task.Run(() => Listen())|};
            """), Expected(0, "Listen"));

    [Fact]
    public Task Flags_task_run_as_a_statement()
        => Verify(Starter("""
                    {|#0:Task.Run(Listen)|};
            """), Expected(0, "Listen"));

    [Fact]
    public Task Flags_long_running_start_new()
        => Verify(Starter("""
                    {|#0:Task.Factory.StartNew(Listen, TaskCreationOptions.LongRunning)|};
            """), Expected(0, "Listen"));

    [Fact]
    public Task Flags_an_inline_loop()
        => Verify(Starter("""
                    _ = {|#0:Task.Run(() =>
                    {
                        while (true)
                        {
                            var result = _consumer.Consume(_stop.Token);
                            Handle(result.Message.Value);
                        }
                    })|};
            """), Expected(0));

    [Fact]
    public Task Flags_a_loop_that_catches_only_consume_errors()
        => Verify(Starter("""
                    _ = {|#0:Task.Run(Poll)|};
            """, """
                private void Poll()
                {
                    while (true)
                    {
                        try
                        {
                            var result = _consumer.Consume(_stop.Token);
                            Handle(result.Message.Value);
                        }
                        catch (ConsumeException)
                        {
                        }
                    }
                }
            """), Expected(0, "Poll"));

    [Fact]
    public Task Flags_a_loop_whose_consume_is_outside_the_catch_all()
        => Verify(Starter("""
                    _ = {|#0:Task.Run(Poll)|};
            """, """
                private void Poll()
                {
                    while (true)
                    {
                        var result = _consumer.Consume(_stop.Token);
                        try
                        {
                            Handle(result.Message.Value);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            """), Expected(0, "Poll"));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_task_is_stored_and_awaited_in_stop()
        => Verify("""
            public sealed class OrderListener : IHostedService
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly CancellationTokenSource _stop = new();
                private Task? _loop;

                public OrderListener(IConsumer<string, string> consumer) => _consumer = consumer;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    _loop = Task.Run(() =>
                    {
                        while (!_stop.IsCancellationRequested)
                        {
                            Console.WriteLine(_consumer.Consume(_stop.Token).Message.Value);
                        }
                    });
                    return Task.CompletedTask;
                }

                public async Task StopAsync(CancellationToken cancellationToken)
                {
                    _stop.Cancel();
                    if (_loop is not null) await _loop;
                }
            }
            """);

    [Fact]
    public Task Silent_when_awaited()
        => Verify(Starter("", """
                public async Task RunAsync() => await Task.Run(Listen);
            """));

    [Fact]
    public Task Silent_when_returned()
        => Verify(Starter("", """
                public Task RunAsync() => Task.Run(Listen);
            """));

    [Fact]
    public Task Silent_when_the_loop_body_catches_everything()
        => Verify(Starter("""
                    _ = Task.Run(Poll);
            """, """
                private void Poll()
                {
                    while (true)
                    {
                        try
                        {
                            var result = _consumer.Consume(_stop.Token);
                            Handle(result.Message.Value);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            """));

    [Fact]
    public Task Silent_when_a_catch_all_surrounds_the_loop()
        => Verify(Starter("""
                    _ = Task.Run(Poll);
            """, """
                private void Poll()
                {
                    try
                    {
                        Listen();
                    }
                    catch (Exception ex)
                    {
                        Console.Error.WriteLine(ex);
                        Environment.Exit(1);
                    }
                }
            """));

    [Fact]
    public Task Silent_when_the_lambda_catches_everything_around_the_loop()
        => Verify(Starter("""
                    _ = Task.Run(() =>
                    {
                        try { Listen(); }
                        catch { Environment.FailFast("consume loop died"); }
                    });
            """));

    [Fact]
    public Task Silent_when_the_work_does_not_consume()
        => Verify(Starter("""
                    _ = Task.Run(() => Handle("warm-up"));
            """));

    [Fact]
    public Task Silent_for_a_single_consume_outside_a_loop()
        => Verify(Starter("""
                    _ = Task.Run(() => Handle(_consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value ?? ""));
            """));

    [Fact]
    public Task Silent_for_a_thread()
        => Verify(Starter("""
                    new Thread(Listen) { IsBackground = true }.Start();
            """));

    [Fact]
    public Task Silent_when_a_continuation_is_attached()
        => Verify(Starter("""
                    Task.Run(Listen).ContinueWith(t => Console.Error.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);
            """));

    [Fact]
    public Task Silent_when_the_task_goes_into_a_collection_that_is_awaited()
        => Verify(Starter("", """
                public Task RunAllAsync()
                {
                    var tasks = new List<Task> { Task.Run(Listen), Task.Run(Listen) };
                    return Task.WhenAll(tasks);
                }
            """));
}
