using System.Collections.Immutable;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>The rules AnalyzerReleases.Shipped.md and Unshipped.md declare, with their category, severity and notes (the analyzer).</summary>
internal static class ReleaseTracking
{
    public static ImmutableDictionary<string, (string Category, string Severity, string Notes)> Entries { get; } = Load();

    private static ImmutableDictionary<string, (string Category, string Severity, string Notes)> Load()
    {
        var entries = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        foreach (var file in new[] { "src/KafkaAnalyzers/AnalyzerReleases.Shipped.md", "src/KafkaAnalyzers/AnalyzerReleases.Unshipped.md" })
        {
            var lines = RepositoryFiles.Lines(file);
            var heading = string.Empty;
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].StartsWith("### ", StringComparison.Ordinal))
                {
                    heading = lines[i].Substring(4).Trim();
                    continue;
                }

                if (!lines[i].StartsWith("Rule ID", StringComparison.Ordinal))
                {
                    continue;
                }

                var headers = Split(lines[i]);
                for (i += 2; i < lines.Count && lines[i].Contains('|'); i++)
                {
                    var cells = Split(lines[i]);
                    var id = cells[0];
                    if (heading == "Removed Rules")
                    {
                        entries.Remove(id);
                        continue;
                    }

                    // "New Rules" has Category/Severity; "Changed Rules" has New Category/New Severity.
                    var category = cells[Array.FindIndex(headers, h => h is "Category" or "New Category")];
                    var severity = cells[Array.FindIndex(headers, h => h is "Severity" or "New Severity")];
                    var notes = Array.IndexOf(headers, "Notes") is var n and >= 0 && n < cells.Length ? cells[n] : string.Empty;
                    entries[id] = (category, severity, notes);
                }

                i--;
            }
        }

        return entries.ToImmutableDictionary();
    }

    private static string[] Split(string line) => line.Split('|').Select(cell => cell.Trim()).ToArray();
}
