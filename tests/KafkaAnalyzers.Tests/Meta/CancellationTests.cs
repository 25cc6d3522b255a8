using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Issue 10, item 3: the analyzers observe the cancellation token (the IDE cancels analysis on every
/// keystroke) in their loops over operations and blocks, and a cancelled request leaves nothing behind
/// that breaks the next one. Times are compared with the same work uncancelled on the same machine, with
/// wide margins: these are behaviour tests, not benchmarks.
/// </summary>
public class CancellationTests
{
    /// <summary>
    /// The per-type models (operation index, configuration model) of a large type, cancelled a tenth of
    /// the way through their uncancelled time, stop with <see cref="OperationCanceledException"/> well
    /// before they would have finished. The input grows until the models take long enough to cancel
    /// half-way on this machine.
    /// </summary>
    [Fact]
    public async Task Per_type_models_stop_soon_after_cancellation_mid_way()
    {
        var methods = 200;
        TimeSpan uncancelled;
        Captured captured;
        while (true)
        {
            captured = await CaptureBlocksAsync(LargeSource(methods));
            BuildModels(captured, CancellationToken.None);
            var stopwatch = Stopwatch.StartNew();
            var model = BuildModels(captured, CancellationToken.None);
            uncancelled = stopwatch.Elapsed;
            Assert.NotEmpty(model.Contexts);
            if (uncancelled >= TimeSpan.FromMilliseconds(200) || methods >= 12800)
            {
                break;
            }

            methods *= 2;
        }

        using var cancellation = new CancellationTokenSource();
        var cancelledAt = TimeSpan.Zero;
        var run = Stopwatch.StartNew();
        using var timer = new Timer(_ => { cancelledAt = run.Elapsed; cancellation.Cancel(); }, null, uncancelled / 10, Timeout.InfiniteTimeSpan);
        var exception = Record.Exception(() => BuildModels(captured, cancellation.Token));
        var stoppedAt = run.Elapsed;

        Assert.True(exception is OperationCanceledException, $"the models of {methods} methods ran to the end ({stoppedAt.TotalMilliseconds:0} ms, uncancelled {uncancelled.TotalMilliseconds:0} ms) although cancelled after {cancelledAt.TotalMilliseconds:0} ms: {exception}");
        Assert.True(stoppedAt - cancelledAt < uncancelled / 2, $"stopped {(stoppedAt - cancelledAt).TotalMilliseconds:0} ms after cancellation; uncancelled the models take {uncancelled.TotalMilliseconds:0} ms");
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

    private static ConfigurationModel BuildModels(Captured captured, CancellationToken cancellationToken)
        => ConfigurationModel.Create(captured.Symbols, OperationIndex.Build(captured.Type, captured.Blocks, cancellationToken), cancellationToken);

    /// <summary>One type with many methods that configure, copy, pass on and build Kafka clients.</summary>
    internal static string LargeSource(int methods)
    {
        var source = new StringBuilder("""
            using System.Collections.Generic;
            using Confluent.Kafka;

            class Service
            {
                private readonly ProducerConfig _shared = new ProducerConfig { BootstrapServers = "broker:9092", Acks = Acks.Leader };

                private static void Inspect(object value) { }

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

                    void Consume{{i}}()
                    {
                        var config = new ConsumerConfig { GroupId = "g{{i}}", BootstrapServers = "b:9092", SessionTimeoutMs = 10000, HeartbeatIntervalMs = 9000 };
                        using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    }

                """);
        }

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
