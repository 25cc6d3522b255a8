using System.Text.RegularExpressions;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// STYLE item 7: every descriptor has docs/rules/&lt;ID&gt;.md with the standard sections, and the page
/// states the same title, category, severity and fix availability as the code.
/// </summary>
public class DocsPageTests
{
    public static TheoryData<string> Ids() => KafkaAssemblies.DescriptorIds();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_has_the_standard_sections_in_order(string id)
        => Assert.Equal(string.Join(" | ", DocsPage.StandardSections), string.Join(" | ", DocsPage.Load(id).Sections));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Sections_are_not_empty(string id)
    {
        var page = DocsPage.Load(id);
        foreach (var section in DocsPage.StandardSections)
        {
            Assert.False(string.IsNullOrWhiteSpace(page.SectionText(section)), $"{id}: section '{section}' is empty");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Title_line_matches_the_descriptor(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var page = DocsPage.Load(id);
        Assert.Equal($"# {id}: {descriptor.Title}", page.TitleLine);
        Assert.Equal(id, page.Facts.GetValueOrDefault("Rule ID"));
        Assert.Equal(descriptor.Category, page.Facts.GetValueOrDefault("Category"));
        Assert.Equal(descriptor.DefaultSeverity.ToString(), page.Facts.GetValueOrDefault("Default severity"));
        KafkaAssemblies.AssertFixCell(id, page.Facts.GetValueOrDefault("Code fix"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_shows_every_way_to_suppress_and_configure(string id)
    {
        var page = DocsPage.Load(id);
        var suppress = page.SectionText("How to suppress");
        Assert.Contains($"dotnet_diagnostic.{id}.severity = none", suppress, StringComparison.Ordinal);
        Assert.Contains($"#pragma warning disable {id}", suppress, StringComparison.Ordinal);
        Assert.Contains($"[SuppressMessage(\"{KafkaAssemblies.Descriptor(id).Category}\", \"{id}", suppress, StringComparison.Ordinal);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", page.SectionText("Options"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Flagged_example_marks_the_rule_and_clean_example_marks_nothing(string id)
    {
        var page = DocsPage.Load(id);
        var flagged = page.CodeBlocks.Where(b => b.Section == "Flagged example" && b.Language == "csharp").ToList();
        var clean = page.CodeBlocks.Where(b => b.Section == "Clean example" && b.Language == "csharp").ToList();
        Assert.NotEmpty(flagged);
        Assert.NotEmpty(clean);
        Assert.All(flagged, block => Assert.Contains(block.Markers, marker => marker.Id == id));
        Assert.All(clean, block => Assert.Empty(block.Markers));
    }

    /// <summary>Every .editorconfig line a page shows is a key the compiler or the analyzers read.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Editorconfig_blocks_use_real_keys(string id)
    {
        var problems = DocsPage.Load(id).CodeBlocks.Where(b => b.Language == "ini").SelectMany(b => EditorConfigKeys.Problems(b.Text)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_page_belongs_to_a_descriptor()
    {
        var ids = KafkaAssemblies.Descriptors.Select(d => d.Id + ".md").ToHashSet();
        var stale = Directory.GetFiles(RepositoryFiles.PathOf("docs/rules"), "*.md").Select(path => Path.GetFileName(path)).Where(page => !ids.Contains(page)).ToList();
        Assert.True(stale.Count == 0, $"pages without a rule: {string.Join(", ", stale)}");
    }

    /// <summary>Relative links in the rule pages and the readmes lead to files that exist.</summary>
    [Fact]
    public void Relative_links_resolve()
    {
        var documents = Directory.GetFiles(RepositoryFiles.PathOf("docs/rules"), "*.md")
            .Append(RepositoryFiles.PathOf("README.md"))
            .Append(RepositoryFiles.PathOf("src/KafkaAnalyzers.Package/PACKAGE_README.md"));
        var broken = new List<string>();
        foreach (var document in documents)
        {
            foreach (Match link in Regex.Matches(File.ReadAllText(document), @"\]\((?<target>[^)#\s]+)(#[^)]*)?\)"))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(RepositoryFiles.Root, document)} → {target}");
                }
            }
        }

        Assert.Empty(broken);
    }
}
