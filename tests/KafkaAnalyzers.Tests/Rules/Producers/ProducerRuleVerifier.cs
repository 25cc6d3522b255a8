using KafkaAnalyzers.CodeFixes.Producers;
using KafkaAnalyzers.Producers;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>
/// Runs the producer configuration analyzer with only the rule under test enabled, so each test class
/// states exactly what its rule reports. Tests about how the rules share a mistake pass every ID.
/// </summary>
internal static class ProducerRuleVerifier
{
    public const string EditorConfigLossyTopics = "kafka_analyzers.lossy_topics = metrics.*, telemetry.*";

    private static readonly string[] AllRules = { "KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009" };

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAsync(string[] rules, string source, params DiagnosticResult[] expected)
        => VerifyAsync(rules, source, editorConfig: null, OutputKind.DynamicallyLinkedLibrary, expected);

    public static Task VerifyAsync(string[] rules, string source, string? editorConfig, params DiagnosticResult[] expected)
        => VerifyAsync(rules, source, editorConfig, OutputKind.DynamicallyLinkedLibrary, expected);

    public static Task VerifyAsync(string[] rules, string source, string? editorConfig, OutputKind outputKind, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<ProducerConfigurationAnalyzer>.Test { TestCode = source };
        test.TestState.OutputKind = outputKind;
        AddEditorConfig(test.TestState, editorConfig);
        test.DisabledDiagnostics.AddRange(AllRules.Except(rules));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// Applies the fix (and Fix All in document, project and solution scope) and checks the result
    /// compiles. <paramref name="remaining"/> are the diagnostics the fixed code still has.
    /// </summary>
    public static Task VerifyFixAsync(string[] rules, string source, DiagnosticResult[] expected, string fixedSource, DiagnosticResult[]? remaining = null, string? editorConfig = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new CSharpCodeFixVerifier<ProducerConfigurationAnalyzer, ProducerConfigurationCodeFixProvider>.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
        };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        AddEditorConfig(test.TestState, editorConfig);
        AddEditorConfig(test.FixedState, editorConfig);
        test.DisabledDiagnostics.AddRange(AllRules.Except(rules));
        test.ExpectedDiagnostics.AddRange(expected);
        if (remaining is not null)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        }

        return test.RunAsync();
    }

    /// <summary>The diagnostics are reported but no fix is offered: the code stays as it is.</summary>
    public static Task VerifyNoFixAsync(string[] rules, string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixVerifier<ProducerConfigurationAnalyzer, ProducerConfigurationCodeFixProvider>.Test
        {
            TestCode = source,
            FixedCode = source,
        };
        test.DisabledDiagnostics.AddRange(AllRules.Except(rules));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static void AddEditorConfig(SolutionState state, string? editorConfig)
    {
        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }
    }
}
