using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// The <c>dotnet_diagnostic.KAFKAnnn.severity</c> lines of an .editorconfig or .globalconfig (the strict preset, a
/// sample's settings), and the severity a rule's findings get under them.
/// </summary>
internal static partial class RuleSeverities
{
    /// <summary>Rule ID to the severity written for it: error, warning, suggestion, silent or none.</summary>
    public static Dictionary<string, string> Parse(string configText)
        => SeverityLine().Matches(configText).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["severity"].Value);

    /// <summary>The settings of the .editorconfig in <paramref name="directory"/>, if it has one.</summary>
    public static Dictionary<string, string> OfEditorConfig(string directory)
        => File.Exists(Path.Combine(directory, ".editorconfig")) ? Parse(File.ReadAllText(Path.Combine(directory, ".editorconfig"))) : new();

    /// <summary>What a finding of the rule is reported as: the configured severity, else the rule's default.</summary>
    public static DiagnosticSeverity Effective(DiagnosticDescriptor descriptor, IReadOnlyDictionary<string, string> configured)
        => !configured.TryGetValue(descriptor.Id, out var severity) ? descriptor.DefaultSeverity : severity switch
        {
            "error" => DiagnosticSeverity.Error,
            "warning" => DiagnosticSeverity.Warning,
            "suggestion" => DiagnosticSeverity.Info,
            "silent" => DiagnosticSeverity.Hidden,
            _ => throw new ArgumentException($"{descriptor.Id} is set to '{severity}': it reports nothing to compare", nameof(configured)),
        };

    [GeneratedRegex(@"^dotnet_diagnostic\.(?<id>KAFKA\d{3})\.severity\s*=\s*(?<severity>\w+)", RegexOptions.Multiline)]
    private static partial Regex SeverityLine();
}
