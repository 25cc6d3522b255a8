using System.Collections.Immutable;
using System.Composition;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// STYLE item 8 for fixes: every code fix is exported for C# with a name, shared, has Fix All, fixes
/// only real rules, and registers actions whose equivalence keys are constant and start with the rule
/// ID; applied to the page's flagged example, the fix compiles and removes a diagnostic.
/// </summary>
public class CodeFixMetaTests
{
    private static readonly Regex EquivalenceKey = new(@"^(?<id>KAFKA\d{3})\.[A-Za-z]+$");

    public static TheoryData<string> Fixes()
    {
        var data = new TheoryData<string>();
        foreach (var type in KafkaAssemblies.CodeFixTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    public static TheoryData<string> FixableIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in KafkaAssemblies.FixableIds.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void Code_fixes_are_found()
        => Assert.NotEmpty(KafkaAssemblies.CodeFixTypes);

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Is_exported_for_csharp_with_a_name_and_shared(string fixType)
    {
        var type = KafkaAssemblies.CodeFixTypes.Single(t => t.FullName == fixType);
        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.True(export is not null, $"{type.Name} has no [ExportCodeFixProvider]");
        Assert.Equal(new[] { LanguageNames.CSharp }, export!.Languages);
        Assert.Equal(type.Name, export.Name);
        Assert.True(type.GetCustomAttribute<SharedAttribute>() is not null, $"{type.Name} is not [Shared]");
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Provides_Fix_All_for_real_rules(string fixType)
    {
        var fix = KafkaAssemblies.CreateCodeFixes().Single(f => f.GetType().FullName == fixType);
        Assert.NotNull(fix.GetFixAllProvider());
        Assert.NotEmpty(fix.FixableDiagnosticIds);
        var ids = KafkaAssemblies.Descriptors.Select(d => d.Id).ToHashSet();
        Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void No_rule_has_two_fixes()
    {
        var ids = KafkaAssemblies.CreateCodeFixes().SelectMany(f => f.FixableDiagnosticIds).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    /// <summary>Runs each fix on the diagnostics of its rule in the page's flagged example.</summary>
    [Theory]
    [MemberData(nameof(FixableIds))]
    public async Task Actions_on_the_flagged_example_have_constant_keys_and_remove_the_diagnostic(string id)
    {
        var page = DocsPage.Load(id);
        var fix = KafkaAssemblies.CreateCodeFixes().Single(f => f.FixableDiagnosticIds.Contains(id));
        var registered = 0;
        foreach (var block in DocsExamples.CSharpBlocks(page).Where(b => b.Section == "Flagged example"))
        {
            var document = CreateDocument(block.Text);
            var diagnostics = await DiagnosticsAsync(document, id);
            foreach (var diagnostic in diagnostics)
            {
                var first = await RegisterAsync(fix, document, diagnostic);
                var second = await RegisterAsync(fix, document, diagnostic);
                Assert.Equal(first.Select(a => a.EquivalenceKey), second.Select(a => a.EquivalenceKey));
                foreach (var action in first)
                {
                    registered++;
                    var key = EquivalenceKey.Match(action.EquivalenceKey ?? string.Empty);
                    Assert.True(key.Success, $"equivalence key '{action.EquivalenceKey}' is not '<ID>.<Action>'");
                    Assert.Equal(id, key.Groups["id"].Value);
                    await AssertFixesAsync(document, action, id, diagnostics.Length);
                }
            }
        }

        Assert.True(registered > 0, $"{id}: the flagged example offers no fix although the page says one exists");
    }

    /// <summary>
    /// Fix All as <c>dotnet format analyzers</c> runs it: Solution scope, the diagnostics of every rule it was
    /// asked to fix, and the equivalence key of whatever the fix registered for the first of those diagnostics,
    /// which is no key at all when that diagnostic belongs to another rule's fix (the whole package is one
    /// analyzer, so its first diagnostic is often another rule's). The fix must still apply to its own rule.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixableIds))]
    public async Task Fix_All_without_an_equivalence_key_fixes_the_flagged_example_as_dotnet_format_runs_it(string id)
    {
        var page = DocsPage.Load(id);
        var fix = KafkaAssemblies.CreateCodeFixes().Single(f => f.FixableDiagnosticIds.Contains(id));
        var examples = 0;
        foreach (var block in DocsExamples.CSharpBlocks(page).Where(b => b.Section == "Flagged example"))
        {
            var document = CreateDocument(block.Text);
            var all = await DiagnosticsAsync(document, id: null);
            var before = all.Count(d => d.Id == id);
            if (before == 0 || (await RegisterAsync(fix, document, all.First(d => d.Id == id))).Count == 0)
            {
                continue;
            }

            examples++;
            var context = new FixAllContext(document, fix, FixAllScope.Solution, codeActionEquivalenceKey: null!, [id], new FixedDiagnostics(all), CancellationToken.None);
            var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
            Assert.True(action is not null, $"{fix.GetType().Name} returns no Fix All action without an equivalence key");
            await AssertFixesAsync(document, action!, id, before);
        }

        Assert.True(examples > 0, $"{id}: no flagged example of the page offers a fix");
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }

    private static async Task AssertFixesAsync(Document document, CodeAction action, string id, int before)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        var fixedDocument = apply.ChangedSolution.GetDocument(document.Id)!;
        var compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"'{action.Title}' produces code that does not compile:\n{string.Join("\n", errors)}\n{await fixedDocument.GetTextAsync()}");
        var after = await DiagnosticsAsync(fixedDocument, id);
        Assert.True(after.Length < before, $"'{action.Title}' leaves every {id} in place:\n{await fixedDocument.GetTextAsync()}");
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Docs",
            "Docs",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }),
            parseOptions: AnalysisRunner.ParseOptions,
            metadataReferences: DocsExamples.ReferencesFor(source)));
        return workspace.AddDocument(project.Id, "Example.cs", SourceText.From(source));
    }

    /// <summary>The document's diagnostics of one rule, or of every rule when <paramref name="id"/> is null.</summary>
    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, string? id)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var run = await AnalysisRunner.RunAllAsync(compilation);
        Assert.Empty(run.AnalyzerFailures);
        return run.RuleDiagnostics.Where(d => id is null || d.Id == id).ToImmutableArray();
    }

    private static async Task<List<CodeAction>> RegisterAsync(CodeFixProvider fix, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }
}
