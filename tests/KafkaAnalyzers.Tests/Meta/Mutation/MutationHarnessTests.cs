using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// Prints through xunit's diagnostic message sink (enabled in xunit.runner.json), which `dotnet test`
/// shows for passing tests too, unlike <see cref="ITestOutputHelper"/>.
/// </summary>
public sealed class HarnessConsole
{
    private readonly IMessageSink _sink;

    public HarnessConsole(IMessageSink sink) => _sink = sink;

    /// <summary>The heading goes on the runner's prefixed line; each following line stands alone, so scripts can read it.</summary>
    public void Print(string heading, params string[] lines)
        => _sink.OnMessage(new DiagnosticMessage(string.Join(Environment.NewLine, lines.Prepend(heading))));
}

/// <summary>
/// Issue 10: analyzers and fixes never throw, on any code. Every Kafka source of the repository, as
/// written and mutated (see <see cref="MutationKind"/>), goes through every analyzer with analyzer
/// exceptions reported, and every fix registered for every diagnostic is applied (and Fix All per
/// document). CI runs a fixed seed and a bounded count; <c>KAFKA_ANALYZERS_MUTATIONS=long</c> runs
/// the long mode (README, "Testing").
/// </summary>
public class MutationHarnessTests : IClassFixture<HarnessConsole>
{
    private readonly HarnessConsole _console;

    public MutationHarnessTests(HarnessConsole console) => _console = console;

    [Fact]
    public async Task Analyzers_and_fixes_never_throw_on_mutated_sources()
    {
        var settings = HarnessSettings.FromEnvironment();
        var sources = KafkaSourceCorpus.All;
        var harness = new MutationHarness(settings);
        var stopwatch = Stopwatch.StartNew();
        // Sources plus mutants (a source's share is rounded at random, so the count is close, not exact).
        await harness.RunAsync(harness.Variants(sources), sources.Length + settings.Mutants, line => _console.Print(line));
        stopwatch.Stop();

        var tally = harness.Tally;
        _console.Print(
            $"Mutation harness, {settings.Mode} mode (seed {settings.Seed}, {settings.Mutants} mutants of {sources.Length} sources, {stopwatch.Elapsed.TotalSeconds:0} s):",
            $"  variants by kind: {string.Join(", ", tally.VariantsByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}",
            $"  diagnostics by rule (on mutants): {string.Join(", ", tally.DiagnosticsById.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value} ({tally.MutantDiagnosticsById.GetValueOrDefault(k.Key)})"))}",
            $"  fixes by rule: {string.Join(", ", tally.FixesById.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))}",
            $"  wall time by last mutation (summed over threads): {tally.TimeReport()}",
            tally.SummaryLine);

        Assert.True(tally.Failures.IsEmpty, tally.Report());
        Assert.Equal(0, tally.Exceptions);
        Assert.True(tally.Compilations >= sources.Length, $"{tally.Compilations} compilations for {sources.Length} sources");

        // Enough variants to reach every rule and fix: each rule reported on mutated code, each fix applied.
        if (settings.Mutants >= HarnessSettings.Ci.Mutants)
        {
            Assert.Empty(KafkaAssemblies.ReportedIds.Where(id => !tally.MutantDiagnosticsById.ContainsKey(id)).Order(StringComparer.Ordinal));
            Assert.Empty(KafkaAssemblies.FixableIds.Where(id => !tally.FixesById.ContainsKey(id)).Order(StringComparer.Ordinal));
            Assert.Empty(Mutator.Mutations.Where(kind => !tally.VariantsByKind.ContainsKey(kind)));
        }
    }
}
