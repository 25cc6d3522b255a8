using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>
/// Runs one producer call-site analyzer with only the rule under test enabled (the analyzer's other
/// rules are disabled), so each test class states exactly what its rule reports.
/// </summary>
internal static class CallSiteVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAsync(string rule, string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = ProducerSources.Usings + source };
        test.DisabledDiagnostics.AddRange(new TAnalyzer().SupportedDiagnostics.Select(d => d.Id).Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task VerifyFixAsync<TFix>(string rule, string source, DiagnosticResult[] expected, string fixedSource, int? actionIndex = null, DiagnosticResult[]? remaining = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixVerifier<TAnalyzer, TFix>.Test
        {
            TestCode = ProducerSources.Usings + source,
            FixedCode = ProducerSources.Usings + fixedSource,
            CodeActionIndex = actionIndex,
        };
        test.DisabledDiagnostics.AddRange(new TAnalyzer().SupportedDiagnostics.Select(d => d.Id).Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        if (remaining is not null)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        }

        return test.RunAsync();
    }

    /// <summary>The diagnostics are reported but no fix is offered.</summary>
    public static Task VerifyNoFixAsync<TFix>(string rule, string source, params DiagnosticResult[] expected)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixVerifier<TAnalyzer, TFix>.Test
        {
            TestCode = ProducerSources.Usings + source,
            FixedCode = ProducerSources.Usings + source,
        };
        test.DisabledDiagnostics.AddRange(new TAnalyzer().SupportedDiagnostics.Select(d => d.Id).Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
