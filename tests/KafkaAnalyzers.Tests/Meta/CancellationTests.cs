using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Issue 10, item 3: the analyzers observe the cancellation token (the IDE cancels analysis on every
/// keystroke) in their loops over operations and blocks, and a cancelled request leaves nothing behind
/// that breaks the next one. Times are compared with the same work uncancelled on the same machine, with
/// wide margins: these are behaviour tests, not benchmarks.
/// </summary>
public class CancellationTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public CancellationTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Each per-type model of a large type (the operation index, configurations, consumers, consume loops,
    /// calls into the project, producers, and a control-flow path question over a long method), cancelled a quarter of the way through its uncancelled time, stops with
    /// <see cref="OperationCanceledException"/> well before it would have finished. The models it depends on
    /// are built first, uncancelled, so the one under test is the one that must observe the token. The input
    /// grows until the model takes long enough to cancel mid-way on this machine; a run that ended before
    /// the cancellation arrived proves nothing and is repeated on a larger input.
    /// </summary>
    [Theory]
    [InlineData("operation index")]
    [InlineData("configurations")]
    [InlineData("producers")]
    [InlineData("consumers")]
    [InlineData("consume loops")]
    [InlineData("project calls")]
    [InlineData("control-flow paths")]
    public async Task Per_type_model_stops_soon_after_cancellation_mid_way(string model)
    {
        var methods = 200;
        var slowStops = 0;
        while (true)
        {
            var captured = await LargeTypes.GetOrAdd(methods, n => CaptureBlocksAsync(LargeSource(n)));
            var build = ModelUnderTest(model, captured);
            Assert.True(build(CancellationToken.None) > 0, $"the {model} model of {methods} methods is empty");
            var stopwatch = Stopwatch.StartNew();
            build(CancellationToken.None);
            var uncancelled = stopwatch.Elapsed;
            _output.WriteLine($"{model}: {methods} methods, uncancelled {uncancelled.TotalMilliseconds:0} ms");
            if (uncancelled < TimeSpan.FromMilliseconds(40) && methods < MaxMethods)
            {
                methods *= 2;
                continue;
            }

            using var cancellation = new CancellationTokenSource();
            var cancelledTicks = long.MaxValue;
            var run = Stopwatch.StartNew();
            using var timer = new Timer(_ => { Interlocked.Exchange(ref cancelledTicks, run.Elapsed.Ticks); cancellation.Cancel(); }, null, uncancelled / 4, Timeout.InfiniteTimeSpan);
            var exception = Record.Exception(() => build(cancellation.Token));
            var stoppedAt = run.Elapsed;
            timer.Change(Timeout.Infinite, Timeout.Infinite);
            var cancelledAt = TimeSpan.FromTicks(Interlocked.Read(ref cancelledTicks) is var ticks && ticks == long.MaxValue ? stoppedAt.Ticks : ticks);

            _output.WriteLine($"{model}: cancelled at {cancelledAt.TotalMilliseconds:0} ms, stopped at {stoppedAt.TotalMilliseconds:0} ms: {exception?.GetType().Name}");
            if (exception is null && stoppedAt - cancelledAt < uncancelled / 2 && methods < MaxMethods)
            {
                // The timer came too late (a loaded machine): the model finished about when it was cancelled.
                methods *= 2;
                continue;
            }

            if (exception is OperationCanceledException && stoppedAt - cancelledAt >= uncancelled / 2 && ++slowStops < 3)
            {
                // A loaded machine can stall the cancelled run as it stalled the timer: measure again (both runs). A
                // model whose token checks are too sparse is slow every time; one that never checks fails above.
                continue;
            }

            Assert.True(exception is OperationCanceledException, $"the {model} model of {methods} methods ran to the end ({stoppedAt.TotalMilliseconds:0} ms, uncancelled {uncancelled.TotalMilliseconds:0} ms) although cancelled after {cancelledAt.TotalMilliseconds:0} ms: {exception}");
            Assert.True(stoppedAt - cancelledAt < uncancelled / 2, $"the {model} model stopped {(stoppedAt - cancelledAt).TotalMilliseconds:0} ms after cancellation; uncancelled it takes {uncancelled.TotalMilliseconds:0} ms");
            return;
        }
    }

    private const int MaxMethods = 3200;

    /// <summary>The large types by method count, compiled once for every model under test.</summary>
    private static readonly ConcurrentDictionary<int, Task<Captured>> LargeTypes = new();

    /// <summary>Builds one model (its inputs built beforehand, uncancelled); returns how many things it found.</summary>
    private static Func<CancellationToken, int> ModelUnderTest(string model, Captured captured)
    {
        var none = CancellationToken.None;
        var symbols = captured.Symbols;
        var index = OperationIndex.Build(captured.Type, captured.Blocks, none);
        var configurations = ConfigurationModel.Create(symbols, index, none);
        var consumers = ConsumerModel.Create(symbols, index, configurations, none);
        return model switch
        {
            "operation index" => token => OperationIndex.Build(captured.Type, captured.Blocks, token).Invocations.Count,
            "configurations" => token => ConfigurationModel.Create(symbols, index, token).Contexts.Length,
            "producers" => token => ProducerModel.Create(symbols, index, token).ProduceCalls.Length,
            "consumers" => token => ConsumerModel.Create(symbols, index, configurations, token).Calls.Length,
            "consume loops" => token => ConsumeLoopModel.Create(symbols, index, consumers, ProjectCalls.For(symbols, null, token), token).Loops.Sum(l => l.Catches.Length),
            "project calls" => token =>
            {
                var calls = ProjectCalls.For(symbols, null, token);
                return index.Roots.Count(root => calls.Summarize(root.Root) != BodyEffects.None);
            },
            "control-flow paths" => PathQuestionOverPipeline(symbols, index),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "no such model"),
        };
    }

    /// <summary>
    /// The whole request on a large file, cancelled half-way, ends promptly with cancellation; asked
    /// again on the same <see cref="CompilationWithAnalyzers"/> (as the IDE does), it gives every
    /// diagnostic of an uncancelled run and no analyzer exception: a model whose computation was cancelled
    /// is computed again, not replayed as someone else's cancellation.
    /// </summary>
    [Fact]
    public async Task Cancelled_analysis_of_a_large_file_ends_promptly_and_the_next_request_is_complete()
    {
        var compilation = AnalysisRunner.Compile(LargeSource(300));
        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            AnalysisRunner.CreateOptions(null),
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);

        var uncancelled = Stopwatch.StartNew();
        var expected = await compilation.WithAnalyzers(KafkaAssemblies.CreateAnalyzers(), options).GetAnalyzerDiagnosticsAsync();
        uncancelled.Stop();
        Assert.Contains(expected, d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal));

        // A probe in the same request cancels once a quarter of the method bodies went through: mid-analysis.
        using var cancellation = new CancellationTokenSource();
        var run = Stopwatch.StartNew();
        var probe = new CancellingProbe(blocks: 150, cancellation, run);
        var withAnalyzers = compilation.WithAnalyzers(KafkaAssemblies.CreateAnalyzers().Add(probe), options);
        var exception = await Record.ExceptionAsync(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellation.Token));
        var stoppedAfterCancel = run.Elapsed - probe.CancelledAt;
        Assert.True(exception is OperationCanceledException, $"not cancelled: {exception}");
        Assert.True(stoppedAfterCancel < TimeSpan.FromSeconds(1) + uncancelled.Elapsed / 2, $"stopped {stoppedAfterCancel.TotalMilliseconds:0} ms after cancellation; the uncancelled request takes {uncancelled.Elapsed.TotalMilliseconds:0} ms");

        var again = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(failures);
        Assert.DoesNotContain(again, d => d.Id == "AD0001");
        Assert.Equal(Keys(expected), Keys(again));
    }

    [Fact]
    public void A_cancelled_shared_model_is_computed_again_for_the_next_caller()
    {
        var calls = 0;
        using var first = new CancellationTokenSource();
        var shared = new SharedComputation<string>(token =>
        {
            calls++;
            if (calls == 1)
            {
                first.Cancel();
            }

            token.ThrowIfCancellationRequested();
            return "model";
        });

        Assert.Throws<OperationCanceledException>(() => shared.Get(first.Token));
        Assert.Equal("model", shared.Get(CancellationToken.None));
        Assert.Equal("model", shared.Get(CancellationToken.None));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void A_shared_model_is_not_computed_for_a_caller_already_cancelled()
    {
        var shared = new SharedComputation<string>(_ => throw new InvalidOperationException("computed"));
        Assert.Throws<OperationCanceledException>(() => shared.Get(new CancellationToken(canceled: true)));
    }

    private static IEnumerable<string> Keys(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.Where(d => d.Id.StartsWith("KAFKA", StringComparison.Ordinal)).Select(d => $"{d.Id} {d.Location.SourceSpan}").Order(StringComparer.Ordinal);

    /// <summary>
    /// In <c>Pipeline</c> (one long method), can the final <c>Dispose</c> be reached after a <c>Produce</c> with no
    /// <c>Flush</c> since (KAFKA007's question)? The graph is built by the first (uncancelled) run and cached.
    /// </summary>
    private static Func<CancellationToken, int> PathQuestionOverPipeline(KafkaSymbols symbols, OperationIndex index)
    {
        var root = index.Roots.Single(r => r.Owner.Name == "Pipeline").Root;
        var calls = root.Descendants().OfType<IInvocationOperation>().ToList();
        var question = new PathQuestion(
            calls.First(c => c.TargetMethod.Name == "Build"),
            calls.Where(c => c.TargetMethod.Name == "Dispose"),
            calls.Where(c => c.TargetMethod.Name == "Produce"),
            calls.Where(c => c.TargetMethod.Name == "Flush"));
        return token =>
        {
            var answer = ControlFlowPaths.Ask(question, symbols.Flow, token);
            Assert.True(answer.Answered, "the path question over Pipeline was not answered");
            return answer.ReachedMarked.Count;
        };
    }

    /// <summary>One type with many methods that configure, copy, pass on and build Kafka clients.</summary>
    internal static string LargeSource(int methods)
    {
        var source = new StringBuilder("""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using Confluent.Kafka;

            class Service
            {
                private readonly ProducerConfig _shared = new ProducerConfig { BootstrapServers = "broker:9092", Acks = Acks.Leader };

                private static void Inspect(object value) { }

                private static void Recover(Exception exception, int attempt)
                {
                    if (attempt > 3) { throw new InvalidOperationException("gave up", exception); }
                    Thread.Sleep(attempt);
                }

            """);
        for (var i = 0; i < methods; i++)
        {
            source.Append($$"""
                    void Produce{{i}}(bool flag)
                    {
                        var config = new ProducerConfig(_shared) { BootstrapServers = "broker:9092", Acks = Acks.Leader, LingerMs = {{i % 50}} };
                        config.Set("linger.ms", "5");
                        if (flag) { config.MessageTimeoutMs = {{1000 + i}}; }
                        var settings = new Dictionary<string, string> { ["acks"] = "1", ["enable.idempotence"] = "false", ["bootstrap.servers"] = "b:9092" };
                        Inspect(settings.Count);
                        using var producer = new ProducerBuilder<string, string>(config).Build();
                        using var other = new ProducerBuilder<string, string>(settings).Build();
                        producer.Produce("orders.{{i}}", new Message<string, string> { Value = "v" });
                    }

                    void Consume{{i}}(CancellationToken token)
                    {
                        var config = new ConsumerConfig { GroupId = "g{{i}}", BootstrapServers = "b:9092", SessionTimeoutMs = 10000, HeartbeatIntervalMs = 9000, EnableAutoOffsetStore = false };
                        using var consumer = new ConsumerBuilder<string, string>(config).Build();
                        consumer.Subscribe("orders.{{i}}");
                        while (!token.IsCancellationRequested)
                        {
                            try
                            {
                                var result = consumer.Consume(token);
                                var value = result.Message.Value;
                                Handle{{i}}(result);
                                consumer.StoreOffset(result);
                            }
                            catch (ConsumeException e) when (!e.Error.IsFatal)
                            {
                                Inspect(e.Error.Reason);
                            }
                            catch (Exception e)
                            {
                                Recover(e, {{i}});
                            }
                        }

                        consumer.Close();
                    }

                    void Handle{{i}}(ConsumeResult<string, string> result)
                    {
                        try { Inspect(result.Message.Value); }
                        catch (Exception e) { Recover(e, {{i}}); }
                    }

                """);
        }

        // One long method: a producer built, then many branches that produce or flush, then disposed.
        source.Append("""
                void Pipeline(bool[] flags, int[] counts)
                {
                    var producer = new ProducerBuilder<string, string>(_shared).Build();
                    try
                    {

            """);
        for (var i = 0; i < methods; i++)
        {
            source.Append($$"""
                        if (flags[{{i}}]) { producer.Produce("orders", new Message<string, string> { Value = "{{i}}" }); }
                        else if (counts[{{i}}] > {{i}}) { try { producer.Flush(TimeSpan.FromSeconds(1)); } catch (KafkaException) { counts[0]++; } }
                        for (var j = 0; j < counts[{{i}}]; j++) { if (j % 7 == 0) { break; } producer.Poll(TimeSpan.Zero); }

                """);
        }

        source.Append("""
                    }
                    finally
                    {
                        producer.Dispose();
                    }
                }

            """);
        return source.Append("}\n").ToString();
    }

    private sealed record Captured(KafkaSymbols Symbols, INamedTypeSymbol Type, ImmutableArray<(ISymbol Owner, IOperation Root)> Blocks);

    /// <summary>The operation blocks of <c>Service</c>, collected as <see cref="KafkaTypeAnalyzer"/> collects them.</summary>
    private static async Task<Captured> CaptureBlocksAsync(string source)
    {
        var compilation = AnalysisRunner.Compile(source);
        var capture = new BlockCapture();
        _ = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(capture)).GetAnalyzerDiagnosticsAsync();
        var symbols = KafkaSymbols.TryCreate(compilation);
        Assert.NotNull(symbols);
        var type = compilation.GetTypeByMetadataName("Service")!;
        var blocks = capture.Blocks.Select(b => (b.Owner, b.Root)).ToImmutableArray();
        Assert.NotEmpty(blocks);
        return new Captured(symbols!, type, blocks);
    }

    /// <summary>Cancels the request once it has seen a number of operation blocks.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CancellingProbe : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("TEST0004", "Test", DiagnosticSeverity.Hidden, "t", "t", "t", dataLoss: false);
        private readonly int _blocks;
        private readonly CancellationTokenSource _cancellation;
        private readonly Stopwatch _clock;
        private int _seen;

        public CancellingProbe(int blocks, CancellationTokenSource cancellation, Stopwatch clock)
        {
            _blocks = blocks;
            _cancellation = cancellation;
            _clock = clock;
        }

        public TimeSpan CancelledAt { get; private set; }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(_ =>
            {
                if (Interlocked.Increment(ref _seen) == _blocks)
                {
                    CancelledAt = _clock.Elapsed;
                    _cancellation.Cancel();
                }
            });
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class BlockCapture : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("TEST0003", "Test", DiagnosticSeverity.Hidden, "t", "t", "t", dataLoss: false);

        public ConcurrentQueue<(ISymbol Owner, IOperation Root)> Blocks { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol.ContainingType?.Name == "Service")
                {
                    foreach (var root in block.OperationBlocks)
                    {
                        Blocks.Enqueue((block.OwningSymbol, root));
                    }
                }
            });
        }
    }
}
