using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>Checks that the .editorconfig lines a document shows are keys the compiler or the analyzers read.</summary>
internal static class EditorConfigKeys
{
    private static readonly Regex Line = new(@"^(?<key>[A-Za-z0-9_.]+)\s*=\s*(?<value>.*)$");
    private static readonly Regex Severity = new(@"^dotnet_diagnostic\.(?<id>\w+)\.severity$");
    private static readonly string[] Severities = { "none", "silent", "suggestion", "warning", "error", "default" };

    public static IEnumerable<string> Problems(string text)
    {
        var ids = KafkaAssemblies.Descriptors.Select(d => d.Id).ToHashSet();
        var options = new[] { KafkaAnalyzers.Model.KafkaAnalyzerOptions.LossyTopicsKey, KafkaAnalyzers.Model.KafkaAnalyzerOptions.DeadLetterMethodsKey };
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';') || (line.StartsWith('[') && line.EndsWith(']')) || line == "root = true")
            {
                continue;
            }

            var match = Line.Match(line);
            if (!match.Success)
            {
                yield return $"'{line}' is not a key = value line";
                continue;
            }

            var key = match.Groups["key"].Value;
            var value = match.Groups["value"].Value;
            var severity = Severity.Match(key);
            if (severity.Success)
            {
                if (!ids.Contains(severity.Groups["id"].Value))
                {
                    yield return $"'{line}': no rule {severity.Groups["id"].Value}";
                }

                if (!Severities.Contains(value))
                {
                    yield return $"'{line}': '{value}' is not a severity (.editorconfig has no end-of-line comments)";
                }
            }
            else if (!options.Contains(key))
            {
                yield return $"'{line}': {key} is not an option KafkaAnalyzers reads";
            }
        }
    }
}
