using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Samples;

/// <summary>
/// A finding a sample says a rule reports: rule <see cref="Id"/> at <see cref="Line"/> (1-based, as compilers and
/// SARIF count) of <see cref="File"/> (relative to the sample folder, with '/'). <see cref="ByMarker"/> tells how
/// the sample says it: a <c>// ⚠ KAFKAnnn</c> marker on the line itself, or a <c>// KAFKAnnn: why</c> comment above it.
/// </summary>
internal sealed record AnnotatedFinding(string File, int Line, string Id, bool ByMarker)
{
    public (string File, int Line, string Id) Place => (File, Line, Id);

    public override string ToString() => $"{File}:{Line}: {Id}";
}

/// <summary>
/// Where samples/AntiPatterns and samples/AntiPatterns.Hosting9 announce their findings, read from their sources.
/// Linked into KafkaAnalyzers.Tests (the sample tests, in-process) and KafkaAnalyzers.PackageTests (the same samples
/// built with the packed package, in SARIF and in a language server), so every harness reads the same annotations.
/// </summary>
internal static partial class SampleAnnotations
{
    /// <summary>The sample's C# sources, without build output.</summary>
    public static IReadOnlyList<string> SourceFiles(string sampleDirectory)
        => Directory.EnumerateFiles(sampleDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => Path.GetRelativePath(sampleDirectory, path).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The path of <paramref name="path"/> relative to the sample folder, with '/' (as <see cref="AnnotatedFinding.File"/>).</summary>
    public static string RelativePath(string sampleDirectory, string path)
        => Path.GetRelativePath(sampleDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Every finding the sample announces: each <c>// ⚠ KAFKAnnn</c> marker names its own line; each
    /// <c>// KAFKAnnn: why</c> comment (which may run over several comment lines) names the first line after it
    /// that is not a comment.
    /// </summary>
    public static IReadOnlyList<AnnotatedFinding> Read(string sampleDirectory)
    {
        var findings = new List<AnnotatedFinding>();
        foreach (var path in SourceFiles(sampleDirectory))
        {
            var file = RelativePath(sampleDirectory, path);
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match marker in Marker().Matches(lines[i]))
                {
                    findings.Add(new AnnotatedFinding(file, i + 1, marker.Groups["id"].Value, ByMarker: true));
                }

                if (Announcement().Match(lines[i]) is not { Success: true } announcement)
                {
                    continue;
                }

                var target = i + 1;
                while (target < lines.Length && lines[target].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    target++;
                }

                findings.Add(new AnnotatedFinding(file, target + 1, announcement.Groups["id"].Value, ByMarker: false));
            }
        }

        return findings;
    }

    [GeneratedRegex(@"⚠\s*(?<id>KAFKA\d{3})")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\s*// (?<id>KAFKA\d{3}):")]
    private static partial Regex Announcement();
}
