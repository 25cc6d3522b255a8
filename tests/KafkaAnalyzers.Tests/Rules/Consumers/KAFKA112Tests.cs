using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA112: Consume with a zero timeout in a loop that never waits when no message arrives.</summary>
public class KAFKA112Tests
{
    private const string Rule = "KAFKA112";

    private static DiagnosticResult Expected(int marker) => Diagnostic(Descriptors.KAFKA112_BusyConsumeLoop).WithLocation(marker);

    private static string Loop(string body, string modifiers = "") => $$"""
        public sealed class Poller
        {
            private readonly IConsumer<string, string> _consumer;

            public Poller(IConsumer<string, string> consumer) => _consumer = consumer;

            public {{modifiers}}{{(modifiers.Contains("async") ? "Task" : "void")}} Run(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
        {{body}}
                }
            }

            private static void Apply(string value) { }

            private static Task ApplyAsync(string value) => Task.CompletedTask;
        }
        """;

    [Fact]
    public Task Flags_zero_timeout_with_continue_on_empty()
        => VerifyAsync(Rule, Loop("""
                        var result = {|#0:_consumer.Consume(TimeSpan.Zero)|};
                        if (result == null)
                        {
                            continue;
                        }

                        Apply(result.Message.Value);
            """), Expected(0));

    [Fact]
    public Task Flags_zero_milliseconds()
        => VerifyAsync(Rule, Loop("""
                        var result = {|#0:_consumer.Consume(0)|};
                        if (result is not null)
                        {
                            Apply(result.Message.Value);
                        }
            """), Expected(0));

    /// <summary>
    /// Crash found by the long mutation run (seed 20261204, samples/ReliablePipeline/Scenario/TopicReadBack.cs with a
    /// swapped literal): <c>TimeSpan.FromMilliseconds('c')</c> made the zero-timeout check call Convert.ToDouble on a
    /// char (InvalidCastException, AD0001). A char constant is a number: '\0' is a zero timeout, 'c' is 99 ms; a string
    /// where a number belongs (broken code) is no timeout the rule can read.
    /// </summary>
    [Fact]
    public Task Reads_char_constants_as_timeouts_and_ignores_strings_long_mutation_run_TopicReadBack()
        => VerifyAsync(Rule, Loop("""
                        var zero = {|#0:_consumer.Consume(TimeSpan.FromMilliseconds('\0'))|};
                        var busy = _consumer.Consume(TimeSpan.FromMilliseconds('c'));
                        var ticks = _consumer.Consume(new TimeSpan('c'));
                        var broken = _consumer.Consume(TimeSpan.FromSeconds({|CS1503:"zero"|}));
                        var brokenTicks = _consumer.Consume(new TimeSpan({|CS1503:"zero"|}));
                        if (zero is not null)
                        {
                            Apply(zero.Message.Value);
                        }
            """), Expected(0));

    [Fact]
    public Task Flags_when_the_only_await_is_on_the_message_path()
        => VerifyAsync(Rule, Loop("""
                        var result = {|#0:_consumer.Consume(TimeSpan.FromMilliseconds(0))|};
                        if (result?.Message is null) continue;
                        await ApplyAsync(result.Message.Value);
            """, "async "), Expected(0));

    [Fact]
    public Task Fix_uses_a_blocking_timeout()
        => VerifyFixAsync(Rule, Loop("""
                        var result = {|#0:_consumer.Consume(TimeSpan.Zero)|};
                        if (result != null)
                        {
                            Apply(result.Message.Value);
                        }
            """), new[] { Expected(0) }, Loop("""
                        var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                        if (result != null)
                        {
                            Apply(result.Message.Value);
                        }
            """));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_a_blocking_timeout()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                        if (result != null) Apply(result.Message.Value);
            """));

    [Fact]
    public Task Silent_for_the_cancellation_token_overload()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        Apply(result.Message.Value);
            """));

    [Fact]
    public Task Silent_when_the_empty_path_sleeps()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(TimeSpan.Zero);
                        if (result == null)
                        {
                            Thread.Sleep(100);
                            continue;
                        }

                        Apply(result.Message.Value);
            """));

    [Fact]
    public Task Silent_when_the_empty_path_awaits_a_delay()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(0);
                        if (result is null)
                        {
                            await Task.Delay(50, ct);
                        }
                        else
                        {
                            await ApplyAsync(result.Message.Value);
                        }
            """, "async "));

    [Fact]
    public Task Silent_when_the_loop_waits_at_the_top_of_each_iteration()
        => VerifyAsync(Rule, Loop("""
                        await Task.Delay(10, ct);
                        var result = _consumer.Consume(TimeSpan.Zero);
                        if (result == null) continue;
                        Apply(result.Message.Value);
            """, "async "));

    [Fact]
    public Task Silent_for_a_drain_loop_that_ends_on_the_first_empty_result()
        => VerifyAsync(Rule, """
            public static class Drain
            {
                public static int All(IConsumer<string, string> consumer)
                {
                    var count = 0;
                    ConsumeResult<string, string>? result;
                    while ((result = consumer.Consume(TimeSpan.Zero)) != null)
                    {
                        count++;
                    }

                    return count;
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_empty_path_breaks_out()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(TimeSpan.Zero);
                        if (result == null)
                        {
                            break;
                        }

                        Apply(result.Message.Value);
            """));

    [Fact]
    public Task Silent_for_a_single_zero_timeout_poll_outside_a_loop()
        => VerifyAsync(Rule, """
            public static class Probe
            {
                public static bool HasMessage(IConsumer<string, string> consumer) => consumer.Consume(TimeSpan.Zero) is not null;
            }
            """);

    [Fact]
    public Task Silent_when_a_project_method_on_the_empty_path_waits()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(TimeSpan.Zero);
                        if (result == null)
                        {
                            Idle();
                            continue;
                        }

                        Apply(result.Message.Value);
            """).Replace("private static void Apply", "private static void Idle() => Thread.Sleep(20);\n\n    private static void Apply"));
}
