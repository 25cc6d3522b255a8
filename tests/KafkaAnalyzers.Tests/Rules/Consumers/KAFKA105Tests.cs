using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>
/// KAFKA105: an owned, subscribed consumer disposed on a normal or cancellation path with no Close before
/// it (answered on the control-flow graph), or a field no member of its type ever closes or disposes.
/// </summary>
public class KAFKA105Tests
{
    private const string Rule = "KAFKA105";

    private const string Config = """new ConsumerConfig { BootstrapServers = "kafka:9092", GroupId = "orders" }""";

    private static DiagnosticResult Normal(int marker, string name = "consumer")
        => Diagnostic(Descriptors.KAFKA105_ConsumerDisposedWithoutClose).WithLocation(marker).WithArguments($"'{name}' is disposed without a Close before it");

    private static DiagnosticResult OnCancellation(int marker, string name = "consumer")
        => Diagnostic(Descriptors.KAFKA105_ConsumerDisposedWithoutClose).WithLocation(marker)
            .WithArguments($"'{name}' is disposed on a cancellation path (OperationCanceledException) without a Close before it");

    private static string Reader(string body) => $$"""
        public sealed class Reader
        {
            public void Run(CancellationToken ct)
            {
        {{body}}
            }

            private static void Apply(string value) { }
        }
        """;

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_using_declaration_never_closed()
        => VerifyAsync(Rule, Reader($$"""
                    using {|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|};
                    consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        Apply(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                    }
            """), Normal(0));

    [Fact]
    public Task Flags_close_after_the_loop_that_cancellation_skips()
        => VerifyAsync(Rule, Reader($$"""
                    using {|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|};
                    consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        Apply(consumer.Consume(ct).Message.Value);
                    }

                    consumer.Close();
            """), OnCancellation(0));

    [Fact]
    public Task Flags_using_statement_closed_only_on_one_branch()
        => VerifyAsync(Rule, Reader($$"""
                    using ({|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|})
                    {
                        consumer.Subscribe("orders");
                        var result = consumer.Consume(TimeSpan.FromSeconds(5));
                        if (result is null)
                        {
                            return;
                        }

                        Apply(result.Message.Value);
                        consumer.Close();
                    }
            """), Normal(0));

    [Fact]
    public Task Flags_explicit_dispose_without_close()
        => VerifyAsync(Rule, Reader($$"""
                    var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    Apply(consumer.Consume(TimeSpan.FromSeconds(5))?.Message.Value);
                    {|#0:consumer.Dispose()|};
            """), Normal(0));

    [Fact]
    public Task Flags_field_disposed_in_dispose_and_closed_nowhere()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    _consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(stoppingToken).Message.Value);
                    }
                }

                public override void Dispose()
                {
                    {|#0:_consumer.Dispose()|};
                    base.Dispose();
                }
            }
            """, Normal(0, "_consumer"));

    [Fact]
    public Task Flags_field_never_closed_nor_disposed()
        => VerifyAsync(Rule, $$"""
            public sealed class Poller
            {
                private readonly IConsumer<string, string> {|#0:_consumer|};

                public Poller()
                {
                    _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    _consumer.Subscribe("orders");
                }

                public string? Next() => _consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value;
            }
            """, Diagnostic(Descriptors.KAFKA105_ConsumerDisposedWithoutClose).WithLocation(0)
                .WithArguments("'_consumer' subscribes but no Dispose, DisposeAsync or StopAsync of Poller closes it"));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_on_the_official_pattern_close_in_finally()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    try
                    {
                        while (true)
                        {
                            Apply(consumer.Consume(ct).Message.Value);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    finally
                    {
                        consumer.Close();
                    }
            """));

    [Fact]
    public Task Silent_when_close_is_in_the_cancellation_catch()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    try
                    {
                        while (true)
                        {
                            Apply(consumer.Consume(ct).Message.Value);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        consumer.Close();
                    }
            """));

    [Fact]
    public Task Silent_when_close_follows_a_loop_without_cancellation()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    for (var i = 0; i < 10; i++)
                    {
                        Apply(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                    }

                    consumer.Close();
            """));

    [Fact]
    public Task Silent_for_an_injected_consumer()
        => VerifyAsync(Rule, """
            public sealed class Worker : IDisposable
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    _consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(ct).Message.Value);
                    }
                }

                public void Dispose() => _consumer.Dispose();
            }
            """);

    [Fact]
    public Task Silent_for_a_consumer_handed_to_other_code()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    Pump(consumer, ct);
            """).Replace("private static void Apply", "private static void Pump(IConsumer<string, string> c, CancellationToken ct) => c.Close();\n\n    private static void Apply"));

    [Fact]
    public Task Silent_when_the_field_is_closed_in_dispose()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : IDisposable
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();

                public void Run(CancellationToken ct)
                {
                    _consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(ct).Message.Value);
                    }
                }

                public void Dispose()
                {
                    _consumer.Close();
                    _consumer.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_field_is_closed_in_stop_async_and_disposed_in_dispose()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    _consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        Console.WriteLine(_consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                    }
                }

                public override async Task StopAsync(CancellationToken cancellationToken)
                {
                    await base.StopAsync(cancellationToken);
                    _consumer.Close();
                }

                public override void Dispose()
                {
                    _consumer.Dispose();
                    base.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_field_is_closed_in_the_loops_finally()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    _consumer.Subscribe("orders");
                    try
                    {
                        while (!stoppingToken.IsCancellationRequested)
                        {
                            Console.WriteLine(_consumer.Consume(stoppingToken).Message.Value);
                        }
                    }
                    finally
                    {
                        _consumer.Close();
                    }
                }

                public override void Dispose()
                {
                    _consumer.Dispose();
                    base.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_when_dispose_calls_a_stop_method_that_closes()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : IDisposable
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();

                public void Start() => _consumer.Subscribe("orders");

                public void Stop() => _consumer.Close();

                public void Dispose()
                {
                    Stop();
                    _consumer.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_manually_assigned_consumer()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Assign(new TopicPartitionOffset("orders", 0, Offset.Beginning));
                    Apply(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
            """));

    [Fact]
    public Task Silent_when_disposed_before_it_subscribed()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    if (ct.IsCancellationRequested)
                    {
                        return;
                    }

                    consumer.Subscribe("orders");
                    try
                    {
                        Apply(consumer.Consume(ct).Message.Value);
                    }
                    finally
                    {
                        consumer.Close();
                    }
            """));

    [Fact]
    public Task Silent_when_close_runs_in_a_lambda()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    using var registration = ct.Register(() => consumer.Close());
                    Apply(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
            """));

    [Fact]
    public Task Silent_when_conditional_close_precedes_conditional_dispose()
        => VerifyAsync(Rule, $$"""
            public sealed class Worker : IDisposable
            {
                private IConsumer<string, string>? _consumer;

                public void Start()
                {
                    _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    _consumer.Subscribe("orders");
                }

                public void Dispose()
                {
                    _consumer?.Close();
                    _consumer?.Dispose();
                }
            }
            """);

    [Fact]
    public Task Silent_when_only_an_unexpected_exception_skips_the_close()
        => VerifyAsync(Rule, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    consumer.Subscribe("orders");
                    Apply(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                    consumer.Close();
            """));

    [Fact]
    public Task Silent_in_a_test_method_that_subscribes_consumes_and_disposes()
        => VerifyAsync(Rule, $$"""
            public sealed class FactAttribute : Attribute
            {
            }

            public sealed class ConsumerDrainTests
            {
                [Fact]
                public void Drains()
                {
                    using (var consumer = new ConsumerBuilder<string, string>({{Config}}).Build())
                    {
                        consumer.Subscribe("orders");
                        Console.WriteLine(consumer.Consume(TimeSpan.FromSeconds(5))?.Message.Value);
                    }
                }
            }
            """);

    [Fact]
    public Task Flags_the_same_shape_outside_a_test_method()
        => VerifyAsync(Rule, $$"""
            public sealed class Drainer
            {
                public void Drain()
                {
                    using ({|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|})
                    {
                        consumer.Subscribe("orders");
                        Console.WriteLine(consumer.Consume(TimeSpan.FromSeconds(5))?.Message.Value);
                    }
                }
            }
            """, Normal(0));

    // ---- fix ------------------------------------------------------------------------------------

    [Fact]
    public Task Fix_wraps_the_rest_of_a_using_declaration_in_try_finally_and_moves_the_trailing_close()
        => VerifyFixAsync(Rule, Reader($$"""
                    using {|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|};
                    consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        // one message at a time
                        Apply(consumer.Consume(ct).Message.Value);
                    }

                    consumer.Close();
            """), new[] { OnCancellation(0) }, Reader($$"""
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    try
                    {
                        consumer.Subscribe("orders");
                        while (!ct.IsCancellationRequested)
                        {
                            // one message at a time
                            Apply(consumer.Consume(ct).Message.Value);
                        }
                    }
                    finally
                    {
                        consumer.Close();
                    }
            """));

    [Fact]
    public Task Fix_wraps_the_body_of_a_using_statement()
        => VerifyFixAsync(Rule, Reader($$"""
                    using ({|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|})
                    {
                        consumer.Subscribe("orders");
                        // read one
                        Apply(consumer.Consume(ct).Message.Value);
                    }
            """), new[] { Normal(0) }, Reader($$"""
                    using (var consumer = new ConsumerBuilder<string, string>({{Config}}).Build())
                    {
                        try
                        {
                            consumer.Subscribe("orders");
                            // read one
                            Apply(consumer.Consume(ct).Message.Value);
                        }
                        finally
                        {
                            consumer.Close();
                        }
                    }
            """));

    [Fact]
    public Task Fix_closes_right_before_a_dispose_call()
        => VerifyFixAsync(Rule, $$"""
            public sealed class Worker : IDisposable
            {
                private IConsumer<string, string>? _consumer;

                public void Start()
                {
                    _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    _consumer.Subscribe("orders");
                }

                public void Dispose()
                {
                    // shut down
                    {|#0:_consumer?.Dispose()|};
                }
            }
            """, new[] { Normal(0, "_consumer") }, $$"""
            public sealed class Worker : IDisposable
            {
                private IConsumer<string, string>? _consumer;

                public void Start()
                {
                    _consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    _consumer.Subscribe("orders");
                }

                public void Dispose()
                {
                    _consumer?.Close();
                    // shut down
                    _consumer?.Dispose();
                }
            }
            """);

    [Fact]
    public Task Fix_All_fixes_every_consumer_of_the_document()
        => VerifyFixAsync(Rule, $$"""
            public sealed class Readers
            {
                public void First(CancellationToken ct)
                {
                    using {|#0:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|};
                    consumer.Subscribe("a");
                    Console.WriteLine(consumer.Consume(ct).Message.Value);
                }

                public void Second(CancellationToken ct)
                {
                    using {|#1:var consumer = new ConsumerBuilder<string, string>({{Config}}).Build()|};
                    consumer.Subscribe("b");
                    Console.WriteLine(consumer.Consume(ct).Message.Value); // the only one
                }
            }
            """, new[] { Normal(0), Normal(1) }, $$"""
            public sealed class Readers
            {
                public void First(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    try
                    {
                        consumer.Subscribe("a");
                        Console.WriteLine(consumer.Consume(ct).Message.Value);
                    }
                    finally
                    {
                        consumer.Close();
                    }
                }

                public void Second(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>({{Config}}).Build();
                    try
                    {
                        consumer.Subscribe("b");
                        Console.WriteLine(consumer.Consume(ct).Message.Value); // the only one
                    }
                    finally
                    {
                        consumer.Close();
                    }
                }
            }
            """);
}
