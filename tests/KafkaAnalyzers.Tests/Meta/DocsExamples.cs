using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>Runs the C# blocks of the rule pages through the compiler and every analyzer.</summary>
internal static class DocsExamples
{
    private static readonly Regex Severity = new(@"^dotnet_diagnostic\.(?<id>\w+)\.severity\s*=\s*(?<value>\w+)$");

    public static IEnumerable<DocsPage> AllPages()
        => KafkaAssemblies.Descriptors.Select(d => DocsPage.TryLoad(d.Id)).OfType<DocsPage>();

    public static IEnumerable<CodeBlock> CSharpBlocks(DocsPage page) => page.CodeBlocks.Where(b => b.Language == "csharp");

    /// <summary>The block compiled alone, with the options and severities of the .editorconfig block before it.</summary>
    public static async Task<AnalysisRun> AnalyzeAsync(CodeBlock block, bool reportSuppressed = false)
    {
        var (options, severities) = Settings(block.Settings);
        var compilation = Compile(block);
        if (severities.Count > 0)
        {
            compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(severities));
        }

        return await AnalysisRunner.RunAllAsync(compilation, options, reportSuppressed);
    }

    /// <summary>
    /// The block compiled as a project would: with the hosting version its first line names
    /// (<c>// Microsoft.Extensions.Hosting 9.0 ...</c>, for KAFKA114's pages), else with the test references.
    /// </summary>
    public static Microsoft.CodeAnalysis.CSharp.CSharpCompilation Compile(CodeBlock block)
    {
        var tree = AnalysisRunner.Parse(block.Text);
        return HostingVersion(block.Text) is { } major ? AnalysisRunner.Compile(new[] { tree }, major) : AnalysisRunner.Compile(new[] { tree });
    }

    /// <summary>The hosting major version a block's first line names, or null.</summary>
    public static int? HostingVersion(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text.Split('\n')[0], @"^// Microsoft\.Extensions\.Hosting (\d+)\.");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The references a block compiles against (see <see cref="Compile(CodeBlock)"/>).</summary>
    public static ImmutableArray<Microsoft.CodeAnalysis.MetadataReference> ReferencesFor(string text)
        => HostingVersion(text) is { } major
            ? AnalysisRunner.HostingReferences(major)
            : Verifiers.TestReferences.WithReliability;

    /// <summary>(line within the block, rule ID) of each unsuppressed rule diagnostic.</summary>
    public static ImmutableHashSet<(int Line, string Id)> Reported(AnalysisRun run)
        => run.RuleDiagnostics
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .Select(d => (d.Location.GetLineSpan().StartLinePosition.Line, d.Id))
            .ToImmutableHashSet();

    /// <summary>How the compiler prints a diagnostic, without the file position: <c>warning KAFKA001: message</c>.</summary>
    public static string Printed(Diagnostic diagnostic)
        => $"{(diagnostic.Severity == DiagnosticSeverity.Info ? "info" : diagnostic.Severity.ToString().ToLowerInvariant())} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private static (Dictionary<string, string> Options, Dictionary<string, ReportDiagnostic> Severities) Settings(CodeBlock? ini)
        => ParseEditorConfig(ini?.Text ?? string.Empty);

    /// <summary>The <c>key = value</c> lines of an .editorconfig: analyzer options, and rule severities as the compiler reads them.</summary>
    public static (Dictionary<string, string> Options, Dictionary<string, ReportDiagnostic> Severities) ParseEditorConfig(string text)
    {
        var options = new Dictionary<string, string>();
        var severities = new Dictionary<string, ReportDiagnostic>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';') || line.StartsWith('[') || !line.Contains('='))
            {
                continue;
            }

            var severity = Severity.Match(line);
            if (severity.Success)
            {
                severities[severity.Groups["id"].Value] = severity.Groups["value"].Value switch
                {
                    "none" => ReportDiagnostic.Suppress,
                    "silent" => ReportDiagnostic.Hidden,
                    "suggestion" => ReportDiagnostic.Info,
                    "warning" => ReportDiagnostic.Warn,
                    "error" => ReportDiagnostic.Error,
                    _ => ReportDiagnostic.Default,
                };
                continue;
            }

            var parts = line.Split('=', 2);
            options[parts[0].Trim()] = parts[1].Trim();
        }

        return (options, severities);
    }
}
