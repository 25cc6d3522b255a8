using System.Text;
using System.Text.RegularExpressions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>A zero-based line/character position (UTF-16 code units), as LSP counts it.</summary>
internal readonly record struct TextPosition(int Line, int Character)
{
    public override string ToString() => $"{Line}:{Character}";
}

/// <summary>A span a rule must report, marked in the source as <c>{|KAFKA001:text|}</c>.</summary>
internal sealed record MarkedSpan(string Id, string Text, TextPosition Start, TextPosition End)
{
    /// <summary>1-based, as compilers, MSBuild and SARIF print it.</summary>
    public (int Line, int Column, int EndLine, int EndColumn) OneBased => (Start.Line + 1, Start.Character + 1, End.Line + 1, End.Character + 1);

    public override string ToString() => $"{Id} at {Start}-{End} '{Text}'";
}

/// <summary>
/// Source text with the analyzer-test markup <c>{|ID:text|}</c> (spans may nest): the plain text and the
/// marked spans. Line endings are normalised to <c>\n</c> so positions do not depend on the checkout.
/// </summary>
internal sealed partial class MarkedSource
{
    private MarkedSource(string text, IReadOnlyList<MarkedSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    public string Text { get; }

    public IReadOnlyList<MarkedSpan> Spans { get; }

    public IEnumerable<string> Ids => Spans.Select(s => s.Id).Distinct().Order(StringComparer.Ordinal);

    public static MarkedSource Parse(string markup)
    {
        markup = markup.ReplaceLineEndings("\n");
        var text = new StringBuilder();
        var open = new Stack<(string Id, int Start)>();
        var marks = new List<(string Id, int Start, int End)>();
        for (var i = 0; i < markup.Length;)
        {
            if (OpenMark().Match(markup, i) is { Success: true } opening && opening.Index == i)
            {
                open.Push((opening.Groups["id"].Value, text.Length));
                i += opening.Length;
            }
            else if (string.CompareOrdinal(markup, i, "|}", 0, 2) == 0)
            {
                if (open.Count == 0)
                {
                    throw new ArgumentException($"'|}}' without an opening '{{|ID:' at offset {i}", nameof(markup));
                }

                var (id, start) = open.Pop();
                marks.Add((id, start, text.Length));
                i += 2;
            }
            else
            {
                text.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException($"'{{|{open.Peek().Id}:' is never closed", nameof(markup));
        }

        var plain = text.ToString();
        return new MarkedSource(
            plain,
            marks.OrderBy(m => m.Start).ThenBy(m => m.Id, StringComparer.Ordinal)
                .Select(m => new MarkedSpan(m.Id, plain[m.Start..m.End], PositionOf(plain, m.Start), PositionOf(plain, m.End)))
                .ToList());
    }

    public static TextPosition PositionOf(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new TextPosition(line, offset - lineStart);
    }

    /// <summary>The position of the only occurrence of <paramref name="fragment"/> (so an edit names its place by text).</summary>
    public TextPosition PositionOfOnly(string fragment)
    {
        var index = Text.IndexOf(fragment, StringComparison.Ordinal);
        if (index < 0 || Text.IndexOf(fragment, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{fragment}' must occur exactly once in the source", nameof(fragment));
        }

        return PositionOf(Text, index);
    }

    [GeneratedRegex(@"\G\{\|(?<id>[A-Z]+\d+):")]
    private static partial Regex OpenMark();
}
