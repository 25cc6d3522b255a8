using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KafkaAnalyzers.Tests.Meta.Mutation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta.RealCode;

/// <summary>
/// Issue 10, items 5 and 6: every analyzer and every fix over whole projects. By default the projects
/// are the repository's samples; <c>KAFKA_ANALYZERS_REAL_CODE</c> (folders separated by the path
/// separator) points it at checkouts of real projects that use Confluent.Kafka instead (README,
/// "Testing"). No analyzer or fixer exception; every fix keeps each changed document free of new compiler
/// errors, parsing and with every comment; Fix All on a document, a project and the solution does the
/// same and leaves no diagnostic of the rule that still offers that fix.
/// </summary>
public class RealCodeTests : IClassFixture<HarnessConsole>
{
    public const string Variable = "KAFKA_ANALYZERS_REAL_CODE";

    private readonly HarnessConsole _console;

    public RealCodeTests(HarnessConsole console) => _console = console;

    [Fact]
    public async Task Analyzers_and_fixes_are_safe_on_whole_projects()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var roots = string.IsNullOrWhiteSpace(configured)
            ? new[] { RepositoryFiles.PathOf("samples") }
            : configured.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tally = new HarnessTally();
        var run = new RealCodeRun(tally);
        var stopwatch = Stopwatch.StartNew();
        foreach (var root in roots)
        {
            Assert.True(Directory.Exists(root), $"{Variable}: '{root}' is not a folder");
            await run.RunAsync(RealCodeLoader.Load(root), root);
        }

        var lines = new List<string>
        {
            $"  diagnostics by rule: {string.Join(", ", tally.DiagnosticsById.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))}",
            $"  fixes applied by rule (single and Fix All): {string.Join(", ", tally.FixesById.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))}",
        };
        lines.AddRange(run.Solutions.Select(s => "  " + s));
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var report = Path.Combine(Path.GetTempPath(), "kafka-analyzers-real-code.txt");
            File.WriteAllText(report, run.Findings.ToString());
            lines.Add($"  every diagnostic: {report}");
        }

        lines.Add($"real-code: solutions={roots.Length} projects={run.Projects} documents={run.Documents} diagnostics={tally.Diagnostics} fixes={tally.Fixes} fix-all={run.FixAllRuns} exceptions={tally.Exceptions}");
        _console.Print($"Real code ({stopwatch.Elapsed.TotalSeconds:0} s):", lines.ToArray());

        Assert.True(tally.Failures.IsEmpty, tally.Report());
        Assert.Equal(0, tally.Exceptions);
        if (string.IsNullOrWhiteSpace(configured))
        {
            // The samples trip rules with fixes: the fix checks above had something to check.
            Assert.True(tally.Fixes > 0 && run.FixAllRuns > 0, "the samples offered no fix, so nothing was checked");
        }
    }
}

/// <summary>Analyses every project of a loaded solution, then applies and checks every fix and Fix All.</summary>
internal sealed class RealCodeRun
{
    private readonly HarnessTally _tally;
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers = KafkaAssemblies.CreateAnalyzers();
    private readonly ImmutableArray<CodeFixProvider> _fixes = KafkaAssemblies.CreateCodeFixes();
    private readonly FixRunner _runner;

    public RealCodeRun(HarnessTally tally)
    {
        _tally = tally;
        _runner = new FixRunner(_fixes, tally, checkCompilerErrors: true);
    }

    public int Projects { get; private set; }

    public int Documents { get; private set; }

    public int FixAllRuns { get; private set; }

    public List<string> Solutions { get; } = new();

    /// <summary>Every diagnostic, one line each, for reading the findings.</summary>
    public StringBuilder Findings { get; } = new();

    public async Task RunAsync(RealCodeLoader.LoadedSolution loaded, string root)
    {
        var solution = loaded.Solution;
        Projects += solution.ProjectIds.Count;
        Documents += loaded.Documents;
        var before = (_tally.Diagnostics, _tally.Fixes, _tally.Exceptions);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var found = await AnalyzeAsync(project, root);
            foreach (var diagnostic in found)
            {
                _tally.Reported(diagnostic.Id, mutated: false);
                var span = diagnostic.Location.GetLineSpan();
                Findings.AppendLine(CultureInfo.InvariantCulture, $"{loaded.Name}/{Path.GetRelativePath(root, span.Path)}:{span.StartLinePosition.Line + 1}: {diagnostic.Id} {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
            }

            diagnostics.AddRange(found);
        }

        var all = diagnostics.ToImmutable();
        var registered = await _runner.RegisterAllAsync(solution, all, variant: null, CancellationToken.None);
        foreach (var fix in registered)
        {
            await _runner.ApplyAsync(solution, fix.Action, fix.Diagnostic.Id, $"'{fix.Action.Title}' ({fix.Action.EquivalenceKey}) in {fix.Document.FilePath}", variant: null, CancellationToken.None);
        }

        foreach (var group in registered.GroupBy(f => (f.Provider, f.Action.EquivalenceKey)))
        {
            foreach (var fix in group.GroupBy(f => f.Document.Id).Select(g => g.First()))
            {
                await FixAllAsync(solution, fix, FixAllScope.Document, all, root);
            }

            foreach (var fix in group.GroupBy(f => f.Document.Project.Id).Select(g => g.First()))
            {
                await FixAllAsync(solution, fix, FixAllScope.Project, all, root);
            }

            await FixAllAsync(solution, group.First(), FixAllScope.Solution, all, root);
        }

        Solutions.Add($"{loaded.Name}: {solution.ProjectIds.Count} projects, {loaded.Documents} documents, {_tally.Diagnostics - before.Diagnostics} diagnostics, {_tally.Fixes - before.Fixes} fixes applied, {_tally.Exceptions - before.Exceptions} exceptions");
    }

    private async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, string root)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var run = await AnalysisRunner.RunAsync(compilation, _analyzers, EditorConfigFor(project, root), concurrent: true);
        _tally.Compiled();
        foreach (var failure in run.AnalyzerFailures)
        {
            _tally.AnalyzerThrew($"{failure} (project {project.FilePath})", variant: null);
        }

        return run.RuleDiagnostics.ToImmutableArray();
    }

    /// <summary>
    /// Fix All in one scope, then the rule analysed again where it applied: no diagnostic of the rule in
    /// the scope may still offer the same fix.
    /// </summary>
    private async Task FixAllAsync(Solution solution, FixRunner.RegisteredFix fix, FixAllScope scope, ImmutableArray<Diagnostic> all, string root)
    {
        FixAllRuns++;
        var key = fix.Action.EquivalenceKey;
        var what = $"Fix All ({scope}) {key} from {fix.Document.FilePath}";
        var context = _runner.FixAllFor(fix, scope, all, CancellationToken.None);
        var fixedSolution = await _runner.FixAllAsync(solution, context, fix.Diagnostic.Id, variant: null, CancellationToken.None);
        if (fixedSolution is null)
        {
            _tally.Failed("Fix All changed nothing", what, "the single fix applies, Fix All offered no change", variant: null);
            return;
        }

        var documents = scope switch
        {
            FixAllScope.Document => new HashSet<DocumentId> { fix.Document.Id },
            FixAllScope.Project => fix.Document.Project.DocumentIds.ToHashSet(),
            _ => solution.Projects.SelectMany(p => p.DocumentIds).ToHashSet(),
        };
        foreach (var projectId in documents.Select(d => d.ProjectId).Distinct())
        {
            var project = fixedSolution.GetProject(projectId)!;
            var remaining = new List<Diagnostic>();
            foreach (var diagnostic in await AnalyzeAsync(project, root))
            {
                if (diagnostic.Id == fix.Diagnostic.Id && fixedSolution.GetDocument(diagnostic.Location.SourceTree) is { } document && documents.Contains(document.Id))
                {
                    remaining.Add(diagnostic);
                }
            }

            var stillOffered = (await _runner.RegisterAllAsync(fixedSolution, remaining, variant: null, CancellationToken.None))
                .Where(f => f.Provider == fix.Provider && f.Action.EquivalenceKey == key)
                .ToList();
            if (stillOffered.Count > 0)
            {
                var first = stillOffered[0].Diagnostic;
                _tally.Failed("Fix All left a fixable diagnostic", what, $"{stillOffered.Count} left, first: {first}\n--- document:\n{await stillOffered[0].Document.GetTextAsync()}", variant: null);
            }
        }
    }

    /// <summary>The kafka_analyzers.* options of the .editorconfig nearest the project (as far up as the root).</summary>
    private static IReadOnlyDictionary<string, string> EditorConfigFor(Project project, string root)
    {
        var options = new Dictionary<string, string>();
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var directory = Path.GetDirectoryName(project.FilePath); directory is not null && directory.Length >= top.Length; directory = Path.GetDirectoryName(directory))
        {
            var file = Path.Combine(directory, ".editorconfig");
            if (File.Exists(file))
            {
                foreach (var (key, value) in DocsExamples.ParseEditorConfig(File.ReadAllText(file)).Options)
                {
                    options.TryAdd(key, value);
                }
            }
        }

        return options;
    }
}
