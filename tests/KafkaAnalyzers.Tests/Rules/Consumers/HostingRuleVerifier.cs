using System.Collections.Immutable;
using KafkaAnalyzers.CodeFixes.Consumers;
using KafkaAnalyzers.Consumers;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>
/// Runs the hosting analyzer (KAFKA114, KAFKA117) with only the rule under test enabled, against the
/// Microsoft.Extensions.Hosting.Abstractions version the test names (KAFKA114 depends on it); sources start
/// with <see cref="ConsumerRuleVerifier.Usings"/>.
/// </summary>
internal static class HostingRuleVerifier
{
    private static readonly string[] Rules = { "KAFKA114", "KAFKA117" };

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAsync(string rule, string source, int hosting, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<ConsumerHostingAnalyzer>.Test { TestCode = ConsumerRuleVerifier.Usings + source };
        Use(test.TestState, hosting);
        test.DisabledDiagnostics.AddRange(Rules.Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Applies the KAFKA114 fix (one, and Fix All in document/project/solution); the result must compile and report nothing.</summary>
    public static Task VerifyFixAsync(string source, DiagnosticResult[] expected, string fixedSource, int hosting = 9, DiagnosticResult[]? remaining = null)
    {
        var test = new CSharpCodeFixVerifier<ConsumerHostingAnalyzer, ConsumerHostingCodeFixProvider>.Test
        {
            TestCode = ConsumerRuleVerifier.Usings + source,
            FixedCode = ConsumerRuleVerifier.Usings + fixedSource,
        };
        Use(test.TestState, hosting);
        Use(test.FixedState, hosting);
        test.DisabledDiagnostics.Add("KAFKA117");
        test.ExpectedDiagnostics.AddRange(expected);
        if (remaining is not null)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test.RunAsync();
    }

    private static void Use(SolutionState state, int hosting)
    {
        state.AdditionalReferences.Clear();
        state.AdditionalReferences.AddRange(TestReferences.WithHostingAbstractions(hosting));
    }
}
