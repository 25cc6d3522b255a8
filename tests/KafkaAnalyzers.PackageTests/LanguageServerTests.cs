using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// The editor loop through a real C# language server: csharp-ls (pinned in .config/dotnet-tools.json)
/// loads a fresh project that references the packed KafkaAnalyzers, and the test drives it over LSP as
/// an editor does: open a file, read the squiggles, ask for quick fixes, type, read them again. The
/// squiggles of every rule, on the samples, are SampleLanguageServerTests'.
/// </summary>
/// <remarks>
/// csharp-ls runs third-party analyzers from NuGet packages once <c>csharp.analyzersEnabled</c> is on,
/// but builds its quick fixes only from Roslyn's own code-fix providers, for compiler diagnostics: the
/// package's fixes are never offered there (README "In the editor"). The test asserts exactly that, so a
/// csharp-ls that starts offering them fails it and the README gets updated; the fixes themselves are
/// applied end to end by <c>dotnet format</c> (CodeFixTests).
/// </remarks>
[Collection(PackageTestCollection.Name)]
public sealed class LanguageServerTests(PackageFeed feed, ITestOutputHelper output)
{
    /// <summary>The server is killed after this, whatever it is doing: a hang fails the test, never CI.</summary>
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromMinutes(4);

    /// <summary>Loading the workspace (a design-time build) and the first analysis.</summary>
    private static readonly TimeSpan FirstAnalysisLimit = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Csharp_ls_shows_the_KAFKA_diagnostics_follows_edits_and_offers_none_of_the_package_fixes()
    {
        var flagged = MarkedSource.Parse(ConsumerSources.FlaggedService);
        var project = ConsumerProject.Create(feed, "editor", flagged.Text);
        var restore = project.Restore();
        Assert.True(restore.Succeeded, restore.Describe());
        var inProcess = await feed.Analyzers.AnalyzeAsync(flagged.Text, CancellationToken.None);
        var documentUri = new Uri(project.ProgramFile).AbsoluteUri;

        using var server = LanguageServer.Start(ServerLifetime);
        var capabilities = await server.InitializeAsync(project.RepositoryDirectory, RequestLimit);
        Assert.True(capabilities?["diagnosticProvider"] is not null, "csharp-ls does not offer pull diagnostics: " + capabilities?.ToJsonString());
        Assert.True(capabilities?["codeActionProvider"] is not null, "csharp-ls does not offer code actions: " + capabilities?.ToJsonString());
        server.OpenDocument(documentUri, flagged.Text);

        // 1. The squiggles on the flagged file: each marked span, with its severity and help link.
        var opened = await server.PullDiagnosticsUntilAsync(documentUri, items => Lsp.KafkaDiagnostics(items).Any(), "no KAFKA diagnostic", FirstAnalysisLimit, RequestLimit);
        var firstAnalysis = server.Elapsed;
        AssertReportsExactly(server, flagged, opened, inProcess);

        // 2. Quick fixes at each KAFKA diagnostic: the package's fixes are not among them.
        var codeActionsTimer = Stopwatch.StartNew();
        Assert.Contains(inProcess.Fixes, fix => fix.DiagnosticId == "KAFKA001");
        var offeredByServer = new List<string>();
        foreach (var diagnostic in Lsp.KafkaDiagnostics(opened))
        {
            var id = (string)diagnostic["code"]!;
            var range = diagnostic["range"]!;
            var packageFixes = inProcess.Fixes.Where(f => f.DiagnosticId == id && Lsp.SameRange(range, f.Span)).ToList();
            var actions = (await server.RequestAsync("textDocument/codeAction", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = documentUri },
                ["range"] = range.DeepClone(),
                ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(diagnostic.DeepClone()) },
            }, RequestLimit))?.AsArray() ?? [];

            foreach (var action in actions.Select(a => a!))
            {
                var title = (string?)action["title"] ?? "";
                // Resolve the action (csharp-ls computes edits lazily) and apply its edit to the text.
                var resolved = action["edit"] is null && action["data"] is not null
                    ? await server.RequestAsync("codeAction/resolve", action.DeepClone(), RequestLimit)
                    : action;
                var result = Lsp.ApplyWorkspaceEdit(flagged.Text, documentUri, resolved?["edit"]);
                offeredByServer.Add($"{id} at {Lsp.Describe(range)}: '{title}'");
                Assert.True(
                    packageFixes.All(fix => fix.Title != title && fix.FixedText != result),
                    $"csharp-ls now offers the package's fix '{title}' for {id}: turn this test into one that applies it, and update README \"In the editor\". {server.Log()}");
            }
        }

        codeActionsTimer.Stop();

        // 3. Typing: fix the acks in place. KAFKA001 goes, the rest of the analysis still runs on the new text.
        // One pull after each edit is enough: csharp-ls applies a didChange before it starts any later request.
        var acksFixed = MarkedSource.Parse(ConsumerSources.FlaggedService.Replace("{|KAFKA001:Acks = Acks.Leader|}", "Acks = Acks.All", StringComparison.Ordinal));
        var leader = flagged.PositionOfOnly("Acks.Leader");
        server.Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = documentUri, ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject
            {
                ["range"] = Lsp.Range(leader, leader with { Character = leader.Character + "Acks.Leader".Length }),
                ["text"] = "Acks.All",
            }),
        });
        var afterTyping = await server.PullDiagnosticsAsync(documentUri, RequestLimit);
        AssertReportsExactly(server, acksFixed, afterTyping, await feed.Analyzers.AnalyzeAsync(acksFixed.Text, CancellationToken.None));
        Assert.DoesNotContain(Lsp.KafkaDiagnostics(afterTyping), d => (string?)d["code"] == "KAFKA001");

        // 4. The whole safe form: every KAFKA squiggle is gone, and the file still compiles.
        server.Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = documentUri, ["version"] = 3 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = ConsumerSources.SafeService.ReplaceLineEndings("\n") }),
        });
        var safe = await server.PullDiagnosticsAsync(documentUri, RequestLimit);
        Assert.True(!Lsp.KafkaDiagnostics(safe).Any(), $"KAFKA diagnostics left on the safe form: {safe.ToJsonString()}");
        Assert.True(!safe.Any(d => (int?)d?["severity"] == 1), $"the safe form does not compile: {safe.ToJsonString()}");
        Assert.Empty((await feed.Analyzers.AnalyzeAsync(ConsumerSources.SafeService, CancellationToken.None)).Diagnostics);

        output.WriteLine($"csharp-ls: first analysis after {firstAnalysis.TotalSeconds:F1} s; code actions for {Lsp.KafkaDiagnostics(opened).Count()} diagnostics in {codeActionsTimer.Elapsed.TotalSeconds:F1} s; whole session {server.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("Diagnostics on open: " + string.Join("; ", Lsp.KafkaDiagnostics(opened).Select(Lsp.DescribeDiagnostic)));
        output.WriteLine("Code actions offered: " + (offeredByServer.Count == 0 ? "none" : string.Join("; ", offeredByServer)));
        output.WriteLine("Package fixes (in-process host): " + string.Join("; ", inProcess.Fixes.Select(f => $"{f.DiagnosticId}: '{f.Title}'")));
        output.WriteLine("After typing Acks.All: " + string.Join("; ", Lsp.KafkaDiagnostics(afterTyping).Select(Lsp.DescribeDiagnostic)));
    }

    /// <summary>
    /// The server reports exactly the marked spans (no more, no fewer), each with the rule's default
    /// severity, its help link and the message the packed analyzer gives in-process.
    /// </summary>
    private static void AssertReportsExactly(LanguageServer server, MarkedSource expected, JsonArray items, PackedAnalysis inProcess)
    {
        var reported = Lsp.KafkaDiagnostics(items)
            .Select(d => $"{d["code"]} at {Lsp.Describe(d["range"]!)} '{Lsp.TextOf(expected.Text, d["range"]!)}'")
            .Order(StringComparer.Ordinal)
            .ToList();
        var marked = expected.Spans.Select(s => $"{s.Id} at {s.Start}-{s.End} '{s.Text}'").Order(StringComparer.Ordinal).ToList();
        Assert.True(
            marked.SequenceEqual(reported),
            $"""
            Marked in the source: {string.Join(", ", marked)}
            Reported by csharp-ls: {string.Join(", ", reported)}
            A rule that now reports on this source needs its span marked {"{|ID:...|}"} in
            ConsumerSources.FlaggedService, if the finding is right; the SARIF tests read the same marks.
            {server.Log()}
            """);

        foreach (var span in expected.Spans)
        {
            var diagnostic = Lsp.KafkaDiagnostics(items).Single(d => (string?)d["code"] == span.Id && Lsp.Describe(d["range"]!) == $"{span.Start}-{span.End}");
            var inProcessDiagnostic = inProcess.Diagnostics.Single(d => d.Id == span.Id && d.Span.Start.Line == span.Start.Line && d.Span.Start.Character == span.Start.Character);
            Assert.Equal(Lsp.Severity(inProcessDiagnostic.Severity), (int?)diagnostic["severity"]);
            Assert.Equal(BuildInfo.HelpLink(span.Id), (string?)diagnostic["codeDescription"]?["href"]);
            Assert.Equal(inProcessDiagnostic.Message, (string?)diagnostic["message"]);
        }
    }
}
