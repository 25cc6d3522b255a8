using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.PackageTests;

/// <summary>One result of a SARIF 2.1 log, with the rule it points to.</summary>
internal sealed record SarifResult(
    string RuleId,
    string Level,
    string Message,
    string Uri,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn,
    JsonNode Rule,
    JsonNode? CustomProperties)
{
    public string Region => $"{StartLine}:{StartColumn}-{EndLine}:{EndColumn}";

    public override string ToString() => $"{RuleId} {Level} at {Path.GetFileName(Uri)}({Region}): {Message}";
}

/// <summary>The parts of the compiler's SARIF 2.1 error log (<c>-p:ErrorLog=file%2Cversion=2.1</c>) the tests read.</summary>
internal sealed class SarifLog
{
    private SarifLog(JsonNode root, IReadOnlyList<SarifResult> results)
    {
        Root = root;
        Results = results;
    }

    public JsonNode Root { get; }

    public string Version => (string?)Root["version"] ?? "";

    public string Schema => (string?)Root["$schema"] ?? "";

    public IReadOnlyList<SarifResult> Results { get; }

    public IEnumerable<SarifResult> KafkaResults => Results.Where(r => r.RuleId.StartsWith("KAFKA", StringComparison.Ordinal));

    public static SarifLog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The build wrote no SARIF log at {path}", path);
        }

        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
        var run = root["runs"]?.AsArray().SingleOrDefault() ?? throw new InvalidDataException($"{path} has not exactly one run");
        var rules = run["tool"]?["driver"]?["rules"]?.AsArray() ?? [];
        var results = new List<SarifResult>();
        foreach (var result in run["results"]?.AsArray() ?? [])
        {
            var ruleId = (string)result!["ruleId"]!;
            var location = result["locations"]?.AsArray().FirstOrDefault()?["physicalLocation"];
            var region = location?["region"];
            var ruleIndex = (int?)result["ruleIndex"];
            var rule = ruleIndex is { } index && index < rules.Count ? rules[index]! : rules.First(r => (string?)r?["id"] == ruleId)!;
            results.Add(new SarifResult(
                ruleId,
                // SARIF's default level is "warning"; the compiler writes it anyway, but do not rely on that.
                (string?)result["level"] ?? "warning",
                (string?)result["message"]?["text"] ?? "",
                (string?)location?["artifactLocation"]?["uri"] ?? "",
                (int?)region?["startLine"] ?? 0,
                (int?)region?["startColumn"] ?? 0,
                (int?)region?["endLine"] ?? 0,
                (int?)region?["endColumn"] ?? 0,
                rule,
                result["properties"]?["customProperties"]));
        }

        return new SarifLog(root, results);
    }

    /// <summary>How a compiler severity appears as a SARIF level.</summary>
    public static string Level(string severity) => severity switch
    {
        "error" => "error",
        "warning" => "warning",
        "suggestion" or "info" => "note",
        _ => "none",
    };

    /// <summary>How a diagnostic severity appears as a SARIF level.</summary>
    public static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "note",
        _ => "none",
    };
}
