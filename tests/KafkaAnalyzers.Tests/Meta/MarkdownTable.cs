using System.Collections.Immutable;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>A pipe table of a Markdown document: each row as header → cell text.</summary>
internal sealed class MarkdownTable
{
    private MarkdownTable(ImmutableArray<string> headers, ImmutableArray<ImmutableDictionary<string, string>> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public ImmutableArray<string> Headers { get; }

    public ImmutableArray<ImmutableDictionary<string, string>> Rows { get; }

    /// <summary>The first table in the lines (outside code blocks).</summary>
    public static MarkdownTable? First(IReadOnlyList<string> lines) => All(lines).FirstOrDefault();

    public static IEnumerable<MarkdownTable> All(IReadOnlyList<string> lines)
    {
        var inCode = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode || !IsRow(lines[i]) || i + 1 >= lines.Count || !IsSeparator(lines[i + 1]))
            {
                continue;
            }

            var headers = Cells(lines[i]);
            var rows = ImmutableArray.CreateBuilder<ImmutableDictionary<string, string>>();
            var next = i + 2;
            while (next < lines.Count && IsRow(lines[next]))
            {
                var cells = Cells(lines[next]);
                var row = ImmutableDictionary.CreateBuilder<string, string>();
                for (var c = 0; c < headers.Length && c < cells.Length; c++)
                {
                    row[headers[c]] = cells[c];
                }

                rows.Add(row.ToImmutable());
                next++;
            }

            yield return new MarkdownTable(headers, rows.ToImmutable());
            i = next - 1;
        }
    }

    private static bool IsRow(string line) => line.TrimStart().StartsWith('|');

    private static bool IsSeparator(string line) => IsRow(line) && line.Trim().Trim('|').Split('|').All(cell => cell.Trim().Trim(':').Length > 0 && cell.Trim().Trim(':').All(ch => ch == '-'));

    /// <summary>Cells of a row; <c>\|</c> inside a cell is a literal pipe.</summary>
    private static ImmutableArray<string> Cells(string line)
    {
        var trimmed = line.Trim().Substring(1);
        if (trimmed.EndsWith('|'))
        {
            trimmed = trimmed.Substring(0, trimmed.Length - 1);
        }

        var cells = ImmutableArray.CreateBuilder<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (trimmed[i] == '\\' && i + 1 < trimmed.Length && trimmed[i + 1] == '|')
            {
                current.Append('|');
                i++;
            }
            else if (trimmed[i] == '|')
            {
                cells.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(trimmed[i]);
            }
        }

        cells.Add(current.ToString().Trim());
        return cells.ToImmutable();
    }
}
