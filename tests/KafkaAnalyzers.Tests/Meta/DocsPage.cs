using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>A fenced code block of a Markdown page.</summary>
internal sealed record CodeBlock(string Language, string Section, string Text, int StartLine, CodeBlock? Settings)
{
    private static readonly Regex Marker = new(@"//.*?⚠\s*(?<ids>KAFKA\d{3}(?:\s*,\s*KAFKA\d{3})*)", RegexOptions.CultureInvariant);

    /// <summary>
    /// Lines (0-based, within the block) that a comment <c>// ⚠ KAFKAnnn</c> marks as reported, with the IDs:
    /// the page states exactly where each diagnostic appears.
    /// </summary>
    public ImmutableHashSet<(int Line, string Id)> Markers
    {
        get
        {
            var markers = ImmutableHashSet.CreateBuilder<(int, string)>();
            var lines = Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var match = Marker.Match(lines[i]);
                if (match.Success)
                {
                    foreach (var id in match.Groups["ids"].Value.Split(','))
                    {
                        markers.Add((i, id.Trim()));
                    }
                }
            }

            return markers.ToImmutable();
        }
    }

    public override string ToString() => $"{Language} block in '{Section}' at line {StartLine + 1}";
}

/// <summary>
/// A rule page, docs/rules/KAFKAnnn.md: a heading "# ID: Title", a table with category, default severity
/// and code fix, then the standard sections in a fixed order.
/// </summary>
internal sealed class DocsPage
{
    public static readonly ImmutableArray<string> StandardSections = ImmutableArray.Create(
        "What it finds",
        "Why it matters for Kafka",
        "How to fix",
        "Flagged example",
        "Clean example",
        "When it stays silent",
        "Options",
        "How to suppress");

    private static readonly Regex Fence = new(@"^```(?<lang>[A-Za-z0-9#+-]*)\s*$", RegexOptions.CultureInvariant);

    private DocsPage(string path, string text)
    {
        Path = path;
        Text = text.Replace("\r\n", "\n");
        Lines = Text.Split('\n').ToImmutableArray();
        Parse();
    }

    public string Path { get; }

    public string Text { get; }

    public ImmutableArray<string> Lines { get; }

    /// <summary>The first line, e.g. <c># KAFKA001: Producer acknowledgement weaker than 'all'</c>.</summary>
    public string TitleLine => Lines.Length > 0 ? Lines[0] : string.Empty;

    /// <summary>The header → value pairs of the first table (Rule ID, Category, Default severity, Code fix).</summary>
    public ImmutableDictionary<string, string> Facts { get; private set; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Level-2 headings in order.</summary>
    public ImmutableArray<string> Sections { get; private set; } = ImmutableArray<string>.Empty;

    public ImmutableArray<CodeBlock> CodeBlocks { get; private set; } = ImmutableArray<CodeBlock>.Empty;

    public static string PathFor(string id) => System.IO.Path.Combine(TestEnvironment.RepositoryRoot, "docs", "rules", id + ".md");

    public static DocsPage? TryLoad(string id)
    {
        var path = PathFor(id);
        return File.Exists(path) ? new DocsPage(path, File.ReadAllText(path)) : null;
    }

    public static DocsPage Parse(string path, string text) => new(path, text);

    public static DocsPage Load(string id)
        => TryLoad(id) ?? throw new Xunit.Sdk.XunitException($"docs/rules/{id}.md is missing");

    public string SectionText(string section)
    {
        var start = Lines.IndexOf("## " + section);
        if (start < 0)
        {
            return string.Empty;
        }

        var end = start + 1;
        while (end < Lines.Length && !Lines[end].StartsWith("## ", StringComparison.Ordinal))
        {
            end++;
        }

        return string.Join("\n", Lines.Skip(start + 1).Take(end - start - 1));
    }

    private void Parse()
    {
        var sections = ImmutableArray.CreateBuilder<string>();
        var blocks = ImmutableArray.CreateBuilder<CodeBlock>();
        var section = string.Empty;
        CodeBlock? settings = null;
        for (var i = 0; i < Lines.Length; i++)
        {
            var line = Lines[i];
            var fence = Fence.Match(line);
            if (fence.Success && fence.Groups["lang"].Value.Length > 0)
            {
                var end = i + 1;
                while (end < Lines.Length && Lines[end] != "```")
                {
                    end++;
                }

                if (end == Lines.Length)
                {
                    throw new Xunit.Sdk.XunitException($"{Path}: code block at line {i + 1} is not closed");
                }

                var language = fence.Groups["lang"].Value;
                var block = new CodeBlock(language, section, string.Join("\n", Lines.Skip(i + 1).Take(end - i - 1)) + "\n", i + 1, language == "csharp" ? settings : null);
                blocks.Add(block);

                // An .editorconfig block applies to a C# block that follows it directly (blank lines only).
                settings = language == "ini" ? block : null;
                i = end;
                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line.Substring(3).Trim();
                sections.Add(section);
            }

            if (line.Trim().Length > 0)
            {
                settings = null;
            }
        }

        Sections = sections.ToImmutable();
        CodeBlocks = blocks.ToImmutable();
        Facts = MarkdownTable.First(Lines)?.Rows.FirstOrDefault() ?? ImmutableDictionary<string, string>.Empty;
    }
}
