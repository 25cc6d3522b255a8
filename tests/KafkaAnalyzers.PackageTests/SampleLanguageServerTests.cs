using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaAnalyzers.Tests.Samples;
using Xunit.Abstractions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// Every rule of the catalog as squiggles in an editor: csharp-ls (as in <see cref="LanguageServerTests"/>) loads
/// copies of samples/AntiPatterns and samples/AntiPatterns.Hosting9 that reference the packed package, side by side
/// in one workspace folder, and the test opens every source file and pulls its diagnostics as an editor does.
/// </summary>
/// <remarks>
/// Code actions are not asked for here: csharp-ls builds its quick fixes only from Roslyn's own code-fix providers,
/// whatever the rule, and <see cref="LanguageServerTests"/> checks that it offers none of the package's fixes.
/// </remarks>
[Collection(PackageTestCollection.Name)]
public sealed class SampleLanguageServerTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>The server is killed after this, whatever it is doing: a hang fails the test, never CI.</summary>
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromMinutes(6);

    /// <summary>Loading the workspace (design-time builds of both samples and the runtime library) and the first analysis.</summary>
    private static readonly TimeSpan FirstAnalysisLimit = TimeSpan.FromMinutes(4);

    /// <summary>One pull analyses the whole project the document belongs to.</summary>
    private static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Csharp_ls_shows_every_rule_in_the_samples_on_its_announced_line_with_its_severity_and_help_link()
    {
        var copies = SampleSarifTests.Samples.Select(sample => ConsumerProject.FromSample(feed, "editor-samples", sample)).ToList();
        foreach (var copy in copies)
        {
            var restore = copy.Restore();
            Assert.True(restore.Succeeded, restore.Describe());
        }

        var documents = copies
            .SelectMany(copy => SampleAnnotations.SourceFiles(copy.ProjectDirectory).Select(path => new SampleDocument(copy, path)))
            .ToList();
        using var server = LanguageServer.Start(ServerLifetime);
        var capabilities = await server.InitializeAsync(copies[0].RepositoryDirectory, RequestLimit);
        Assert.True(capabilities?["diagnosticProvider"] is not null, "csharp-ls does not offer pull diagnostics: " + capabilities?.ToJsonString());
        foreach (var document in documents)
        {
            server.OpenDocument(document.Uri, File.ReadAllText(document.Path));
        }

        // Loaded when a flagged document of each sample gives the same KAFKA diagnostics twice in a row.
        foreach (var copy in copies)
        {
            var flagged = documents.First(d => d.Copy == copy && SampleAnnotations.Read(copy.ProjectDirectory).Any(a => a.File == d.File));
            await WaitForStableKafkaDiagnosticsAsync(server, flagged.Uri);
        }

        var loaded = server.Elapsed;
        var pulls = Stopwatch.StartNew();
        var reported = new List<(SampleDocument Document, JsonNode Diagnostic)>();
        foreach (var document in documents)
        {
            var items = await server.PullDiagnosticsAsync(document.Uri, RequestLimit);
            reported.AddRange(Lsp.KafkaDiagnostics(items).Select(d => (document, d)));
        }

        pulls.Stop();
        var problems = copies.SelectMany(copy => Problems(copy, reported.Where(r => r.Document.Copy == copy).ToList())).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems) + Environment.NewLine + server.Log());
        var shown = reported.Select(r => (string)r.Diagnostic["code"]!).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(feed.Analyzers.Descriptors);
        var missing = feed.Analyzers.Descriptors.Select(d => d.Id).Where(id => !shown.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"csharp-ls shows no {string.Join(", ", missing)} in the samples");

        output.WriteLine($"csharp-ls: workspace loaded and analysed after {loaded.TotalSeconds:F1} s; {documents.Count} documents pulled in {pulls.Elapsed.TotalSeconds:F1} s; {reported.Count} KAFKA diagnostics of {shown.Count} rules; whole session {server.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join(Environment.NewLine, reported.Select(r => $"{r.Document.Copy.ProjectDirectory.Split(Path.DirectorySeparatorChar)[^1]}/{r.Document.File}: {Lsp.DescribeDiagnostic(r.Diagnostic)}")));
    }

    /// <summary>What is wrong with one sample's squiggles: off the announced lines or missing, doubled, or bad.</summary>
    private IEnumerable<string> Problems(ConsumerProject copy, IReadOnlyList<(SampleDocument Document, JsonNode Diagnostic)> reported)
    {
        var sample = Path.GetFileName(copy.ProjectDirectory);
        var shown = reported.Select(r => (r.Document.File, Line: Lsp.ReadPosition(r.Diagnostic["range"]!["start"]!).Line + 1, Id: (string)r.Diagnostic["code"]!)).ToHashSet();
        var announced = SampleAnnotations.Read(copy.ProjectDirectory).Select(a => a.Place).ToHashSet();
        foreach (var place in announced.Except(shown).Order())
        {
            yield return $"samples/{sample}/{place.File}:{place.Line}: {place.Id} announced but not shown by csharp-ls";
        }

        foreach (var place in shown.Except(announced).Order())
        {
            yield return $"samples/{sample}/{place.File}:{place.Line}: {place.Id} shown by csharp-ls but not announced";
        }

        foreach (var twice in reported.GroupBy(r => (r.Document.File, Code: (string?)r.Diagnostic["code"], Range: Lsp.Describe(r.Diagnostic["range"]!))).Where(g => g.Count() > 1))
        {
            yield return $"samples/{sample}/{twice.Key.File}: {twice.Key.Code} shown {twice.Count()} times at {twice.Key.Range}";
        }

        var configured = RuleSeverities.OfEditorConfig(copy.ProjectDirectory);
        foreach (var (document, diagnostic) in reported)
        {
            var id = (string)diagnostic["code"]!;
            var where = $"samples/{sample}/{document.File}: {Lsp.DescribeDiagnostic(diagnostic)}";
            var descriptor = feed.Analyzers.Descriptor(id);
            var severity = Lsp.Severity(RuleSeverities.Effective(descriptor, configured));
            if ((int?)diagnostic["severity"] != severity)
            {
                yield return $"{where}: expected severity {severity} (default {descriptor.DefaultSeverity}, .editorconfig {configured.GetValueOrDefault(id, "-")})";
            }

            if ((string?)diagnostic["codeDescription"]?["href"] != BuildInfo.HelpLink(id))
            {
                yield return $"{where}: expected the help link {BuildInfo.HelpLink(id)}";
            }

            if (string.IsNullOrWhiteSpace((string?)diagnostic["message"]) || ((string)diagnostic["message"]!).Contains("{0}", StringComparison.Ordinal))
            {
                yield return $"{where}: no message";
            }
        }
    }

    /// <summary>
    /// Pulls until the document has KAFKA diagnostics and two pulls in a row agree: until then the server may answer
    /// before it has loaded the workspace, or while it loads the other project.
    /// </summary>
    private static async Task WaitForStableKafkaDiagnosticsAsync(LanguageServer server, string documentUri)
    {
        string? previous = null;
        await server.PullDiagnosticsUntilAsync(
            documentUri,
            items =>
            {
                var current = string.Join("; ", Lsp.KafkaDiagnostics(items).Select(Lsp.DescribeDiagnostic));
                var stable = current.Length > 0 && current == previous;
                previous = current;
                return stable;
            },
            "no KAFKA diagnostics that two pulls in a row agree on",
            FirstAnalysisLimit,
            RequestLimit);
    }

    /// <summary>A source file of a sample copy: its path, its name relative to the copy and its LSP URI.</summary>
    private sealed record SampleDocument(ConsumerProject Copy, string Path)
    {
        public string File => SampleAnnotations.RelativePath(Copy.ProjectDirectory, Path);

        public string Uri => new Uri(Path).AbsoluteUri;
    }
}
