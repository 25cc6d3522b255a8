using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// One repository URL, defined once (KafkaAnalyzersRepositoryUrl in Directory.Build.props): the packed
/// rules' help links, the nuspec's project and repository URLs and every link the docs make to the
/// repository all agree with it.
/// </summary>
[Collection(PackageTestCollection.Name)]
public sealed partial class RepositoryUrlTests(PackageFeed feed)
{
    [Fact]
    public void Repository_url_is_an_https_url_without_a_trailing_slash()
        => Assert.Matches(@"^https://[^/\s]+/[^\s]*[^/\s]$", BuildInfo.RepositoryUrl);

    [Fact]
    public void Packed_rules_link_their_docs_page_under_the_repository_url()
    {
        Assert.NotEmpty(feed.Analyzers.Descriptors);
        Assert.All(feed.Analyzers.Descriptors, descriptor => Assert.Equal(BuildInfo.HelpLink(descriptor.Id), descriptor.HelpLinkUri));
    }

    [Fact]
    public void Nuspec_project_and_repository_urls_are_the_repository_url()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        using var stream = zip.GetEntry(PackageFeed.PackageId + ".nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.Equal(BuildInfo.RepositoryUrl, metadata.Elements().Single(e => e.Name.LocalName == "projectUrl").Value);
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal(BuildInfo.RepositoryUrl, (string?)repository.Attribute("url"));
        Assert.Equal("git", (string?)repository.Attribute("type"));
    }

    /// <summary>Absolute links to this repository (same host and name, any owner) in the docs use the one URL.</summary>
    [Fact]
    public void Docs_link_the_repository_only_by_the_repository_url()
    {
        var documents = new[] { "README.md", "src/KafkaAnalyzers.Package/PACKAGE_README.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(BuildInfo.RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(BuildInfo.RepositoryRoot, path)))
            .ToList();
        var repositoryName = BuildInfo.RepositoryUrl[(BuildInfo.RepositoryUrl.LastIndexOf('/') + 1)..];
        var host = new Uri(BuildInfo.RepositoryUrl).Host;
        var linkToRepository = new Regex(
            @"https?://" + Regex.Escape(host) + @"/[^/\s)""'>\]]+/" + Regex.Escape(repositoryName) + @"(?=[/#?)\s""'>\]]|$)[^\s)""'>\]]*",
            RegexOptions.IgnoreCase);

        var links = documents.SelectMany(document => linkToRepository.Matches(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, document)))
            .Select(match => (Document: document, Link: match.Value))).ToList();
        var wrong = links.Where(l => !(l.Link == BuildInfo.RepositoryUrl || l.Link.StartsWith(BuildInfo.RepositoryUrl + "/", StringComparison.Ordinal))).ToList();

        Assert.True(wrong.Count == 0, $"Links to the repository that do not start with {BuildInfo.RepositoryUrl}:{Environment.NewLine}{string.Join(Environment.NewLine, wrong)}");
        // nuget.org resolves no relative links: the package readme links the rules and the docs absolutely.
        Assert.Contains(links, l => l.Document.EndsWith("PACKAGE_README.md", StringComparison.Ordinal) && l.Link == BuildInfo.RepositoryUrl);
        Assert.Contains(links, l => l.Document.EndsWith("PACKAGE_README.md", StringComparison.Ordinal) && l.Link == BuildInfo.HelpLink("KAFKA001"));
    }
}
