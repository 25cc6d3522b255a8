using System.Text.RegularExpressions;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Every descriptor, found by reflection: well-formed, in the ID range of its category, tracked in
/// AnalyzerReleases, with a help link to its docs page (STYLE items 3, 7, 12).
/// </summary>
public class DescriptorMetaTests
{
    public static TheoryData<string> Ids() => KafkaAssemblies.DescriptorIds();

    [Fact]
    public void Descriptors_are_found()
        => Assert.Contains(KafkaAssemblies.Descriptors, descriptor => descriptor.Id == "KAFKA001");

    [Fact]
    public void Ids_are_unique()
    {
        var duplicates = KafkaAssemblies.Descriptors.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_reported_descriptor_is_declared_in_Descriptors()
    {
        var declared = KafkaAssemblies.Descriptors.ToHashSet();
        var undeclared = KafkaAssemblies.CreateAnalyzers()
            .SelectMany(analyzer => analyzer.SupportedDiagnostics.Select(d => (Analyzer: analyzer.GetType().Name, d)))
            .Where(pair => !declared.Contains(pair.d))
            .Select(pair => $"{pair.Analyzer}: {pair.d.Id}");
        Assert.Empty(undeclared);
    }

    /// <summary>A declared rule nothing reports would be documented, listed and shipped, yet never fire.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_is_reported_by_an_analyzer(string id)
        => Assert.True(KafkaAssemblies.ReportedIds.Contains(id), $"no analyzer lists {id} in SupportedDiagnostics");

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_range_matches_the_category(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var match = Regex.Match(id, @"^KAFKA(?<range>[0-3])\d\d$");
        Assert.True(match.Success, $"{id} is not KAFKA0xx..KAFKA3xx");
        var expected = match.Groups["range"].Value == "2" ? "Security" : "Reliability";
        Assert.Equal(expected, descriptor.Category);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_to_the_docs_page(string id)
        => Assert.EndsWith($"docs/rules/{id}.md", KafkaAssemblies.Descriptor(id).HelpLinkUri, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Title_message_and_description_are_well_formed(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var title = descriptor.Title.ToString();
        var message = descriptor.MessageFormat.ToString();
        var description = descriptor.Description.ToString();

        Assert.False(string.IsNullOrWhiteSpace(title), "title is empty");
        Assert.False(title.EndsWith('.'), "a title does not end with a period");
        Assert.False(string.IsNullOrWhiteSpace(message), "message format is empty");
        Assert.False(message.EndsWith('.'), "a one-sentence message does not end with a period");
        Assert.False(string.IsNullOrWhiteSpace(description), "description is empty");
        Assert.True(description.EndsWith('.'), "a description ends with a period");
        foreach (var text in new[] { title, message, description })
        {
            Assert.DoesNotContain('\n', text);
            Assert.Equal(text.Trim(), text);
        }

        // The format must accept as many arguments as it uses, and no more placeholders than it is given.
        var placeholders = Regex.Matches(message, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var arguments = placeholders.Count == 0 ? 0 : placeholders.Max() + 1;
        Assert.Equal(Enumerable.Range(0, arguments), placeholders.Distinct().Order());
        _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, message, Enumerable.Repeat<object>("x", arguments).ToArray());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_is_enabled_by_default_and_tagged(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Contains("Kafka", descriptor.CustomTags);
        Assert.NotEqual(DiagnosticSeverity.Hidden, descriptor.DefaultSeverity);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_tracking_entry_matches_the_descriptor(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        Assert.True(ReleaseTracking.Entries.TryGetValue(id, out var entry), $"{id} is not in AnalyzerReleases.Shipped.md or Unshipped.md");
        Assert.Equal(descriptor.Category, entry.Category);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), entry.Severity);

        // The notes name the rule family that reports the rule (run by the exported KafkaAnalyzer), once it exists.
        var analyzer = KafkaAnalyzer.CreateFamilies().FirstOrDefault(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        if (analyzer is not null)
        {
            Assert.Equal(analyzer.GetType().Name, entry.Notes);
        }
    }

    [Fact]
    public void Release_tracking_lists_no_rule_that_does_not_exist()
    {
        var ids = KafkaAssemblies.Descriptors.Select(d => d.Id).ToHashSet();
        var unknown = ReleaseTracking.Entries.Keys.Where(id => !ids.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"release tracking lists rules that do not exist: {string.Join(", ", unknown)}");
    }

    /// <summary>STYLE item 6: every option a rule reads appears on the rule's page.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Options_the_rule_mentions_are_documented_on_its_page(string id)
    {
        var descriptor = KafkaAssemblies.Descriptor(id);
        var page = DocsPage.Load(id);
        var options = typeof(KafkaAnalyzerOptions).GetFields()
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!);
        foreach (var option in options.Where(option => descriptor.Description.ToString().Contains(option, StringComparison.Ordinal)))
        {
            Assert.Contains(option, page.SectionText("Options"), StringComparison.Ordinal);
        }
    }
}
