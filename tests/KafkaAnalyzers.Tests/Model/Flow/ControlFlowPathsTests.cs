using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Model.Flow;

/// <summary>
/// The CFG path question asked directly: from Sink.Open() (start), can a dispose (target) be reached
/// after a Produce (mark) with no Flush (clear) since, on a path that completes normally or by cancellation?
/// </summary>
public class ControlFlowPathsTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class Sink : IDisposable, IAsyncDisposable
        {
            public static Sink Open() => new();
            public void Produce() { }
            public void Flush() { }
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        """;

    private static (FlowHarness Harness, PathAnswer Answer, IReadOnlyList<IOperation> Targets) Ask(string service, string method = "Run", bool fromStart = true)
    {
        var harness = FlowHarness.Create(Prelude + service);
        var targets = harness.Calls(method, "Dispose").Cast<IOperation>().Concat(harness.Usings(method)).ToList();
        var start = fromStart ? harness.Calls(method, "Open").FirstOrDefault() : null;
        var question = new PathQuestion(start, targets, harness.Calls(method, "Produce"), harness.Calls(method, "Flush"));
        var answer = ControlFlowPaths.Ask(question, harness.Symbols, CancellationToken.None);
        Assert.True(answer.Answered);
        return (harness, answer, targets);
    }

    private static void AssertMarked(string service)
    {
        var (_, answer, targets) = Ask(service);
        Assert.NotEmpty(targets);
        Assert.Contains(targets, t => answer.IsReachedMarked(t));
    }

    private static void AssertClean(string service)
    {
        var (_, answer, targets) = Ask(service);
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Contains(t, answer.Reached));
        Assert.Empty(answer.ReachedMarked);
    }

    [Fact]
    public void Using_declaration_disposed_after_produce_without_flush_is_marked()
        => AssertMarked("""
            class Service
            {
                void Run()
                {
                    using var sink = Sink.Open();
                    sink.Produce();
                }
            }
            """);

    [Fact]
    public void Flush_after_the_last_produce_clears_the_using_declaration()
        => AssertClean("""
            class Service
            {
                void Run()
                {
                    using var sink = Sink.Open();
                    sink.Produce();
                    sink.Produce();
                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void Flush_before_the_produce_does_not_count()
        => AssertMarked("""
            class Service
            {
                void Run()
                {
                    var sink = Sink.Open();
                    sink.Flush();
                    sink.Produce();
                    sink.Dispose();
                }
            }
            """);

    [Fact]
    public void Flush_on_one_branch_only_leaves_the_other_path_marked()
        => AssertMarked("""
            class Service
            {
                void Run(bool quick)
                {
                    var sink = Sink.Open();
                    sink.Produce();
                    if (!quick)
                    {
                        sink.Flush();
                    }

                    sink.Dispose();
                }
            }
            """);

    [Fact]
    public void Produce_in_a_loop_and_flush_after_the_loop_is_clean()
        => AssertClean("""
            class Service
            {
                void Run(string[] items)
                {
                    using (var sink = Sink.Open())
                    {
                        foreach (var item in items)
                        {
                            sink.Produce();
                        }

                        sink.Flush();
                    }
                }
            }
            """);

    [Fact]
    public void Early_return_through_the_finally_is_marked()
        => AssertMarked("""
            class Service
            {
                void Run(bool stop)
                {
                    var sink = Sink.Open();
                    try
                    {
                        sink.Produce();
                        if (stop)
                        {
                            return;
                        }

                        sink.Flush();
                    }
                    finally
                    {
                        sink.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public void Cancellation_from_a_token_taking_call_reaches_the_finally_marked()
    {
        var (_, answer, targets) = Ask("""
            class Service
            {
                async Task Run(CancellationToken stoppingToken)
                {
                    using var sink = Sink.Open();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        sink.Produce();
                        await Task.Delay(1000, stoppingToken);
                    }

                    sink.Flush();
                }
            }
            """);

        Assert.True(answer.IsReachedMarked(Assert.Single(targets)));
        Assert.True(answer.ExitsMarkedByCancellation);
    }

    [Fact]
    public void Caught_cancellation_that_goes_on_to_flush_is_clean()
        => AssertClean("""
            class Service
            {
                async Task Run(CancellationToken stoppingToken)
                {
                    using var sink = Sink.Open();
                    try
                    {
                        while (true)
                        {
                            sink.Produce();
                            await Task.Delay(1000, stoppingToken);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void Catch_of_Exception_also_catches_cancellation()
        => AssertClean("""
            class Service
            {
                async Task Run(CancellationToken stoppingToken)
                {
                    using var sink = Sink.Open();
                    try
                    {
                        sink.Produce();
                        await Task.Delay(1000, stoppingToken);
                    }
                    catch (Exception)
                    {
                    }

                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void Catch_of_another_exception_type_lets_cancellation_through_the_finally()
        => AssertMarked("""
            class Service
            {
                async Task Run(CancellationToken stoppingToken)
                {
                    using var sink = Sink.Open();
                    try
                    {
                        sink.Produce();
                        stoppingToken.ThrowIfCancellationRequested();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void A_token_that_is_None_or_default_cannot_cancel()
        => AssertClean("""
            class Service
            {
                async Task Run()
                {
                    using var sink = Sink.Open();
                    sink.Produce();
                    await Task.Delay(1000, CancellationToken.None);
                    await Task.Delay(1000, default);
                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void Paths_that_leave_by_other_exceptions_do_not_count()
        => AssertClean("""
            class Service
            {
                void Run(bool broken)
                {
                    using var sink = Sink.Open();
                    sink.Produce();
                    if (broken)
                    {
                        throw new InvalidOperationException("broken");
                    }

                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void A_thrown_OperationCanceledException_is_a_cancellation_path()
        => AssertMarked("""
            class Service
            {
                void Run(bool cancelled)
                {
                    using var sink = Sink.Open();
                    sink.Produce();
                    if (cancelled)
                    {
                        throw new OperationCanceledException();
                    }

                    sink.Flush();
                }
            }
            """);

    [Fact]
    public void Rethrow_from_a_cancellation_catch_goes_on_through_the_finally()
        => AssertMarked("""
            class Service
            {
                async Task Run(CancellationToken token)
                {
                    var sink = Sink.Open();
                    try
                    {
                        try
                        {
                            sink.Produce();
                            await Task.Delay(10, token);
                        }
                        catch (OperationCanceledException)
                        {
                            Console.WriteLine("stopping");
                            throw;
                        }

                        sink.Flush();
                    }
                    finally
                    {
                        sink.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public void Nested_finally_regions_run_inner_first()
    {
        AssertClean("""
            class Service
            {
                void Run()
                {
                    var sink = Sink.Open();
                    try
                    {
                        try
                        {
                            sink.Produce();
                        }
                        finally
                        {
                            sink.Flush();
                        }
                    }
                    finally
                    {
                        sink.Dispose();
                    }
                }
            }
            """);
        AssertMarked("""
            class Service
            {
                void Run()
                {
                    var sink = Sink.Open();
                    try
                    {
                        try
                        {
                            sink.Produce();
                        }
                        finally
                        {
                            sink.Dispose();
                        }
                    }
                    finally
                    {
                        sink.Flush();
                    }
                }
            }
            """);
    }

    [Fact]
    public void The_start_resets_the_mark_for_each_new_instance_in_a_loop()
        => AssertClean("""
            class Service
            {
                void Run(string[] items)
                {
                    foreach (var item in items)
                    {
                        var sink = Sink.Open();
                        sink.Produce();
                        sink.Flush();
                        sink.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public void While_true_has_no_path_out_through_its_condition()
        => AssertClean("""
            class Service
            {
                void Run(Func<bool> more)
                {
                    using var sink = Sink.Open();
                    while (true)
                    {
                        sink.Produce();
                        if (!more())
                        {
                            sink.Flush();
                            break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public void Await_using_disposes_in_its_finally()
    {
        AssertMarked("""
            class Service
            {
                async Task Run()
                {
                    await using var sink = Sink.Open();
                    sink.Produce();
                }
            }
            """);
        AssertClean("""
            class Service
            {
                async Task Run()
                {
                    await using (var sink = Sink.Open())
                    {
                        sink.Produce();
                        sink.Flush();
                    }
                }
            }
            """);
    }

    [Fact]
    public void A_produce_inside_a_lambda_counts_where_the_lambda_is_created()
        => AssertMarked("""
            class Service
            {
                void Run(string[] items)
                {
                    var sink = Sink.Open();
                    sink.Flush();
                    Array.ForEach(items, item => sink.Produce());
                    sink.Dispose();
                }
            }
            """);

    [Fact]
    public void Questions_inside_a_local_function_use_its_own_graph()
    {
        var harness = FlowHarness.Create(Prelude + """
            class Service
            {
                void Run()
                {
                    Send();

                    void Send()
                    {
                        using var sink = Sink.Open();
                        sink.Produce();
                        sink.Flush();
                    }
                }
            }
            """);
        var answer = ControlFlowPaths.Ask(
            new PathQuestion(harness.Calls("Run", "Open").Single(), harness.Usings("Run"), harness.Calls("Run", "Produce"), harness.Calls("Run", "Flush")),
            harness.Symbols,
            CancellationToken.None);
        Assert.True(answer.Answered);
        Assert.Single(answer.Reached);
        Assert.Empty(answer.ReachedMarked);
    }

    [Fact]
    public void Without_a_start_paths_begin_at_the_function_entry()
    {
        var (_, answer, targets) = Ask(
            """
            class Service
            {
                private readonly Sink _sink = Sink.Open();

                void Run(bool flush)
                {
                    _sink.Produce();
                    if (flush)
                    {
                        _sink.Flush();
                    }

                    _sink.Dispose();
                }
            }
            """,
            fromStart: false);
        Assert.True(answer.IsReachedMarked(Assert.Single(targets)));
        Assert.True(answer.ExitsMarked);
        Assert.False(answer.ExitsMarkedByCancellation);
    }

    [Fact]
    public void Start_marked_asks_about_a_method_entered_with_messages_already_queued()
    {
        var harness = FlowHarness.Create(Prelude + """
            class Service
            {
                private readonly Sink _sink = Sink.Open();

                void Dispose(bool flush)
                {
                    if (flush)
                    {
                        _sink.Flush();
                    }

                    _sink.Dispose();
                }
            }
            """);
        var targets = harness.Calls("Dispose", "Dispose");
        var marked = ControlFlowPaths.Ask(new PathQuestion(null, targets, Array.Empty<IOperation>(), harness.Calls("Dispose", "Flush"), startMarked: true), harness.Symbols, CancellationToken.None);
        var clean = ControlFlowPaths.Ask(new PathQuestion(null, targets, Array.Empty<IOperation>(), harness.Calls("Dispose", "Flush"), startMarked: false), harness.Symbols, CancellationToken.None);
        Assert.True(marked.IsReachedMarked(targets.Single()));
        Assert.Empty(clean.ReachedMarked);
    }

    [Fact]
    public void Targets_reached_marked_only_by_cancellation_are_told_apart()
    {
        var (_, answer, targets) = Ask("""
            class Service
            {
                async Task Run(CancellationToken token)
                {
                    var sink = Sink.Open();
                    try
                    {
                        sink.Produce();
                        await Task.Delay(10, token);
                        sink.Flush();
                    }
                    finally
                    {
                        sink.Dispose();
                    }
                }
            }
            """);
        var dispose = Assert.Single(targets);
        Assert.True(answer.IsReachedMarked(dispose));
        Assert.DoesNotContain(dispose, answer.ReachedMarkedNormally);
    }

    [Fact]
    public void Unanswered_when_a_mark_is_in_a_local_function()
    {
        var harness = FlowHarness.Create(Prelude + """
            class Service
            {
                void Run()
                {
                    using var sink = Sink.Open();
                    Send();

                    void Send() => sink.Produce();
                }
            }
            """);
        var answer = ControlFlowPaths.Ask(
            new PathQuestion(harness.Calls("Run", "Open").Single(), harness.Usings("Run"), harness.Calls("Run", "Produce"), Array.Empty<IOperation>()),
            harness.Symbols,
            CancellationToken.None);
        Assert.False(answer.Answered);
    }

    // ---- ThroughCaughtExceptions (KAFKA115: a dead-letter produce in a catch, then the commit) ----------

    private static PathAnswer AskThroughCatches(string service, bool through)
    {
        var harness = FlowHarness.Create(Prelude + service);
        var targets = harness.Calls("Run", "Dispose");
        var question = new PathQuestion(harness.Calls("Run", "Open").First(), targets, harness.Calls("Run", "Produce"), harness.Calls("Run", "Flush"), throughCaughtExceptions: through);
        var answer = ControlFlowPaths.Ask(question, harness.Symbols, CancellationToken.None);
        Assert.True(answer.Answered);
        return answer;
    }

    private const string ProduceInCatch = """
        class Service
        {
            void Run(Action work)
            {
                var sink = Sink.Open();
                try
                {
                    work();
                }
                catch (Exception)
                {
                    sink.Produce();
                }

                sink.Dispose();
            }
        }
        """;

    [Fact]
    public void A_mark_in_a_catch_entered_by_any_exception_counts_only_when_asked()
    {
        Assert.Empty(AskThroughCatches(ProduceInCatch, through: false).ReachedMarkedNormally);
        Assert.Single(AskThroughCatches(ProduceInCatch, through: true).ReachedMarkedNormally);
    }

    [Fact]
    public void A_catch_entered_by_an_exception_starts_unmarked()
        => Assert.Empty(AskThroughCatches("""
            class Service
            {
                void Run(Action work)
                {
                    var sink = Sink.Open();
                    sink.Produce();
                    try
                    {
                        sink.Flush();
                        work();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    sink.Dispose();
                }
            }
            """, through: true).ReachedMarkedNormally);

    [Fact]
    public void An_exception_is_not_followed_through_a_finally()
        => Assert.Empty(AskThroughCatches("""
            class Service
            {
                void Run(Action work)
                {
                    var sink = Sink.Open();
                    try
                    {
                        try
                        {
                            work();
                        }
                        finally
                        {
                            Console.WriteLine("done");
                        }
                    }
                    catch (Exception)
                    {
                        sink.Produce();
                    }

                    sink.Dispose();
                }
            }
            """, through: true).ReachedMarkedNormally);
}
