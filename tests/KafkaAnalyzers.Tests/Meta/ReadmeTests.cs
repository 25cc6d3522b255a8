using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// README.md lists every rule as the code declares it, its quick start is what CI runs, and the
/// NuGet package readme links every rule page.
/// </summary>
public class ReadmeTests
{
    private const string PackageReadme = "src/KafkaAnalyzers.Package/PACKAGE_README.md";

    private static readonly Regex IdCell = new(@"^\[(?<id>KAFKA\d{3})\]\((?<link>[^)]+)\)$");

    public static TheoryData<string> Ids() => KafkaAssemblies.DescriptorIds();

    private static ImmutableArray<ImmutableDictionary<string, string>> RuleRows()
    {
        var table = MarkdownTable.All(RepositoryFiles.Lines("README.md"))
            .SingleOrDefault(t => t.Headers.SequenceEqual(new[] { "ID", "Title", "Category", "Severity", "Fix" }));
        Assert.True(table is not null, "README.md has no rule table with columns ID | Title | Category | Severity | Fix");
        return table!.Rows;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Readme_row_matches_the_descriptor(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var row = RuleRows().SingleOrDefault(r => IdCell.Match(r["ID"]) is { Success: true } m && m.Groups["id"].Value == id);
        Assert.True(row is not null, $"README.md has no row for {id}");
        Assert.Equal($"docs/rules/{id}.md", IdCell.Match(row!["ID"]).Groups["link"].Value);
        Assert.Equal(descriptor.Title.ToString(), row["Title"]);
        Assert.Equal(descriptor.Category, row["Category"]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row["Severity"]);
        KafkaAssemblies.AssertFixCell(id, row["Fix"]);
    }

    [Fact]
    public void Readme_lists_no_rule_that_does_not_exist()
    {
        var ids = KafkaAssemblies.Descriptors.Select(d => d.Id).ToHashSet();
        var rows = RuleRows().Select(r => IdCell.Match(r["ID"]).Groups["id"].Value).ToList();
        Assert.All(rows, id => Assert.Contains(id, ids));
        Assert.Equal(rows.Distinct().Count(), rows.Count);
        Assert.Equal(rows.Order(StringComparer.Ordinal), rows);
    }

    /// <summary>The quick start's test command is the very line CI runs, so a newcomer runs what CI runs.</summary>
    [Fact]
    public void Ci_runs_the_quick_start_test_command()
    {
        var quickStart = QuickStartCommands();
        var test = Assert.Single(quickStart, line => line.StartsWith("dotnet test", StringComparison.Ordinal));
        Assert.Equal("dotnet test KafkaAnalyzers.sln -c Release", test);
        Assert.Contains(test, RepositoryFiles.Lines(".ci/run").Select(line => line.Trim()));
    }

    [Fact]
    public void Quick_start_is_two_commands_and_the_optional_demo()
    {
        var commands = QuickStartCommands();
        Assert.Equal(
            new[] { "dotnet build samples/AntiPatterns", "dotnet test KafkaAnalyzers.sln -c Release", "dotnet run --project samples/ReliablePipeline" },
            commands);
    }

    [Fact]
    public void Readme_documents_every_option_key()
    {
        var readme = RepositoryFiles.Read("README.md");
        Assert.Contains(global::KafkaAnalyzers.Model.KafkaAnalyzerOptions.LossyTopicsKey, readme, StringComparison.Ordinal);
        Assert.Contains(global::KafkaAnalyzers.Model.KafkaAnalyzerOptions.DeadLetterMethodsKey, readme, StringComparison.Ordinal);
        Assert.Contains("<KafkaAnalyzersMode>strict</KafkaAnalyzersMode>", readme, StringComparison.Ordinal);
    }

    /// <summary>nuget.org does not resolve relative links: the package readme links each rule by its help link.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_readme_row_matches_the_descriptor(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var table = MarkdownTable.All(RepositoryFiles.Lines(PackageReadme))
            .SingleOrDefault(t => t.Headers.SequenceEqual(new[] { "ID", "Title", "Severity", "Fix" }));
        Assert.True(table is not null, "PACKAGE_README.md has no rule table with columns ID | Title | Severity | Fix");
        var row = table!.Rows.SingleOrDefault(r => r["ID"] == $"[{id}]({descriptor.HelpLinkUri})");
        Assert.True(row is not null, $"PACKAGE_README.md has no row [{id}]({descriptor.HelpLinkUri})");
        Assert.Equal(descriptor.Title.ToString(), row!["Title"]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row["Severity"]);
        KafkaAssemblies.AssertFixCell(id, row["Fix"]);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData(PackageReadme)]
    public void Readme_editorconfig_examples_use_real_keys(string readme)
    {
        var problems = MarkdownCodeBlocks(RepositoryFiles.Lines(readme), "ini").SelectMany(EditorConfigKeys.Problems).ToList();
        Assert.NotEmpty(MarkdownCodeBlocks(RepositoryFiles.Lines(readme), "ini"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> MarkdownCodeBlocks(IReadOnlyList<string> lines, string language)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == "```" + language)
            {
                var end = i + 1;
                while (end < lines.Count && lines[end] != "```")
                {
                    end++;
                }

                yield return string.Join("\n", lines.Skip(i + 1).Take(end - i - 1));
                i = end;
            }
        }
    }

    /// <summary>The lines of the first shell block under "## Quick start", comments left out.</summary>
    private static IReadOnlyList<string> QuickStartCommands()
    {
        var lines = RepositoryFiles.Lines("README.md");
        var start = lines.ToList().IndexOf("## Quick start");
        Assert.True(start >= 0, "README.md has no '## Quick start' section");
        var fence = lines.Skip(start).ToList().FindIndex(line => line.StartsWith("```", StringComparison.Ordinal)) + start;
        return lines.Skip(fence + 1)
            .TakeWhile(line => !line.StartsWith("```", StringComparison.Ordinal))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
    }
}
