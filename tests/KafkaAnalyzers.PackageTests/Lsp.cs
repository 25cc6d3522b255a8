using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.PackageTests;

/// <summary>The few LSP shapes the editor test reads and writes: ranges, severities, workspace edits.</summary>
internal static class Lsp
{
    public static JsonObject Position(TextPosition position)
        => new() { ["line"] = position.Line, ["character"] = position.Character };

    public static JsonObject Range(TextPosition start, TextPosition end)
        => new() { ["start"] = Position(start), ["end"] = Position(end) };

    public static TextPosition ReadPosition(JsonNode position)
        => new((int)position["line"]!, (int)position["character"]!);

    /// <summary>"line:character-line:character", zero-based, as <see cref="MarkedSpan"/> prints its span.</summary>
    public static string Describe(JsonNode range) => $"{ReadPosition(range["start"]!)}-{ReadPosition(range["end"]!)}";

    /// <summary>The diagnostics of a report whose code is a KAFKA rule.</summary>
    public static IEnumerable<JsonNode> KafkaDiagnostics(JsonArray items)
        => items.Select(d => d!).Where(d => ((string?)d["code"])?.StartsWith("KAFKA", StringComparison.Ordinal) == true);

    public static string DescribeDiagnostic(JsonNode diagnostic)
        => $"{diagnostic["code"]} {SeverityName((int?)diagnostic["severity"])} at {Describe(diagnostic["range"]!)} \"{diagnostic["message"]}\" ({diagnostic["codeDescription"]?["href"]})";

    /// <summary>The text a range covers.</summary>
    public static string TextOf(string text, JsonNode range)
        => text[Offset(text, ReadPosition(range["start"]!))..Offset(text, ReadPosition(range["end"]!))];

    public static bool SameRange(JsonNode range, LinePositionSpan span)
        => ReadPosition(range["start"]!) == new TextPosition(span.Start.Line, span.Start.Character)
           && ReadPosition(range["end"]!) == new TextPosition(span.End.Line, span.End.Character);

    /// <summary>LSP DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint.</summary>
    public static int Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => 1,
        DiagnosticSeverity.Warning => 2,
        DiagnosticSeverity.Info => 3,
        _ => 4,
    };

    private static string SeverityName(int? severity) => severity switch
    {
        1 => "error",
        2 => "warning",
        3 => "information",
        4 => "hint",
        _ => "severity " + severity,
    };

    /// <summary>
    /// The document text after a WorkspaceEdit (<c>changes</c> or <c>documentChanges</c>); edits to other
    /// documents are ignored, a null edit leaves the text as it is.
    /// </summary>
    public static string ApplyWorkspaceEdit(string text, string documentUri, JsonNode? edit)
    {
        if (edit is null)
        {
            return text;
        }

        var edits = new List<JsonNode>();
        if (edit["changes"]?[documentUri] is JsonArray changes)
        {
            edits.AddRange(changes.Select(e => e!));
        }

        foreach (var change in edit["documentChanges"]?.AsArray() ?? [])
        {
            if ((string?)change?["textDocument"]?["uri"] == documentUri && change?["edits"] is JsonArray documentEdits)
            {
                edits.AddRange(documentEdits.Select(e => e!));
            }
        }

        // Apply from the end so earlier offsets stay valid.
        var ordered = edits
            .Select(e => (Start: Offset(text, ReadPosition(e["range"]!["start"]!)), End: Offset(text, ReadPosition(e["range"]!["end"]!)), NewText: (string?)e["newText"] ?? ""))
            .OrderByDescending(e => e.Start)
            .ToList();
        foreach (var (start, end, newText) in ordered)
        {
            text = text[..start] + newText + text[end..];
        }

        return text;
    }

    private static int Offset(string text, TextPosition position)
    {
        var offset = 0;
        for (var line = 0; line < position.Line; line++)
        {
            offset = text.IndexOf('\n', offset) + 1;
            if (offset == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(position), $"line {position.Line} is past the end of the text");
            }
        }

        return offset + position.Character;
    }
}
