using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>What went wrong, grouped by <see cref="Signature"/> so one bug hit a thousand times is one entry.</summary>
internal sealed record HarnessFailure(string Kind, string Signature, string Detail, Variant? Variant);

/// <summary>Counts and failures of a harness run, safe to add to from parallel work.</summary>
internal sealed class HarnessTally
{
    private static readonly Regex Frame = new(@"at (?<frame>KafkaAnalyzers\.[^\s(]+)");

    private long _compilations;
    private long _diagnostics;
    private long _fixes;
    private long _exceptions;

    public long Compilations => Interlocked.Read(ref _compilations);

    public long Diagnostics => Interlocked.Read(ref _diagnostics);

    public long Fixes => Interlocked.Read(ref _fixes);

    /// <summary>Analyzer and fixer exceptions (AD0001 and exceptions out of a fix).</summary>
    public long Exceptions => Interlocked.Read(ref _exceptions);

    public ConcurrentDictionary<string, int> DiagnosticsById { get; } = new(StringComparer.Ordinal);

    /// <summary>Diagnostics reported on mutated variants (not on the sources as written).</summary>
    public ConcurrentDictionary<string, int> MutantDiagnosticsById { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> FixesById { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<MutationKind, int> VariantsByKind { get; } = new();

    public ConcurrentQueue<HarnessFailure> Failures { get; } = new();

    /// <summary>Wall-clock milliseconds per (phase, last mutation kind): where a run's time goes.</summary>
    public ConcurrentDictionary<(string Phase, MutationKind Kind), long> Milliseconds { get; } = new();

    public void Timed(string phase, Variant variant, TimeSpan elapsed)
        => Milliseconds.AddOrUpdate((phase, variant.Kinds[^1]), (long)elapsed.TotalMilliseconds, (_, n) => n + (long)elapsed.TotalMilliseconds);

    public string TimeReport()
        => string.Join(", ", Milliseconds.GroupBy(m => m.Key.Kind).OrderByDescending(g => g.Sum(m => m.Value))
            .Select(g => $"{g.Key} {g.Sum(m => m.Value) / 1000.0:0.#} s ({string.Join("/", g.OrderBy(m => m.Key.Phase).Select(m => $"{m.Key.Phase} {m.Value / 1000.0:0.#}"))})"));

    public string SummaryLine => $"mutation-harness: compilations={Compilations} diagnostics={Diagnostics} fixes={Fixes} exceptions={Exceptions}";

    /// <summary>The summary's counters so far, for a long run's progress (not the summary's prefix, so scripts reading the summary skip it).</summary>
    public string ProgressLine(long variants, long expected, TimeSpan elapsed)
        => $"mutation-harness progress: variants={variants}/{expected} elapsed={elapsed.TotalSeconds:0}s compilations={Compilations} diagnostics={Diagnostics} fixes={Fixes} exceptions={Exceptions} failures={Failures.Count}";

    public void Compiled() => Interlocked.Increment(ref _compilations);

    public void Reported(string id, bool mutated)
    {
        Interlocked.Increment(ref _diagnostics);
        DiagnosticsById.AddOrUpdate(id, 1, (_, n) => n + 1);
        if (mutated)
        {
            MutantDiagnosticsById.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
    }

    public void Fixed(string id)
    {
        Interlocked.Increment(ref _fixes);
        FixesById.AddOrUpdate(id, 1, (_, n) => n + 1);
    }

    public void Threw(string kind, string who, Exception exception, Variant? variant)
    {
        Interlocked.Increment(ref _exceptions);
        Failures.Enqueue(new HarnessFailure(kind, $"{kind}: {who}: {exception.GetType().Name} at {TopFrame(exception.ToString())}", exception.ToString(), variant));
    }

    /// <summary>An analyzer exception the driver reported (as AD0001 or through onAnalyzerException).</summary>
    public void AnalyzerThrew(string description, Variant? variant)
    {
        Interlocked.Increment(ref _exceptions);
        var type = Regex.Match(description, @"(?<type>System\.[A-Za-z.]*Exception)").Groups["type"].Value;
        Failures.Enqueue(new HarnessFailure("analyzer exception", $"analyzer exception: {description.Split(':')[0]}: {type} at {TopFrame(description)}", description, variant));
    }

    public void Failed(string kind, string signature, string detail, Variant? variant)
        => Failures.Enqueue(new HarnessFailure(kind, $"{kind}: {signature}", detail, variant));

    /// <summary>One paragraph per distinct failure: how often, the first variant (its files written out to reproduce it) and the detail.</summary>
    public string Report(int maxGroups = 8)
    {
        var builder = new StringBuilder();
        var groups = Failures.GroupBy(f => f.Signature).OrderByDescending(g => g.Count()).ToList();
        builder.AppendLine($"{Failures.Count} failures in {groups.Count} groups");
        foreach (var group in groups.Take(maxGroups))
        {
            var first = group.First();
            builder.AppendLine().AppendLine($"== {group.Key} ({group.Count()}x)");
            if (first.Variant is { } variant)
            {
                builder.AppendLine($"first on {variant.Describe()}; files in {WriteOut(variant)}");
            }

            builder.AppendLine(first.Detail.Length > 3000 ? first.Detail[..3000] + "..." : first.Detail);
        }

        return builder.ToString();
    }

    private static string TopFrame(string text)
    {
        var match = Frame.Match(text);
        return match.Success ? match.Groups["frame"].Value : "(no KafkaAnalyzers frame)";
    }

    /// <summary>Writes a variant's files under the temp folder so a failure can be opened and replayed.</summary>
    public static string WriteOut(Variant variant)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kafka-analyzers-mutations", $"{Math.Abs(variant.Describe().GetHashCode(StringComparison.Ordinal)):x8}");
        Directory.CreateDirectory(directory);
        foreach (var file in variant.Files)
        {
            File.WriteAllText(Path.Combine(directory, file.Path.TrimStart('/').Replace('/', '_')), file.Text);
        }

        File.WriteAllText(Path.Combine(directory, "variant.txt"), $"{variant.Describe()}\nreferences Confluent.Kafka: {variant.ReferenceKafka}\noutput: {variant.OutputKind}\noptions: {string.Join(", ", variant.Options.Select(o => $"{o.Key} = {o.Value}"))}\n");
        return directory;
    }
}
