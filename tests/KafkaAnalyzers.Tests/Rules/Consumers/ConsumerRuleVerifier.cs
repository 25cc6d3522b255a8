using System.Collections.Immutable;
using KafkaAnalyzers.CodeFixes.Consumers;
using KafkaAnalyzers.Consumers;
using KafkaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>
/// Runs the consumer analyzers with only the rule under test enabled, so each test class states exactly
/// what its rule reports; sources start with <see cref="Usings"/>.
/// </summary>
internal static class ConsumerRuleVerifier
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        """;

    private static readonly string[] FlowRules = { "KAFKA101", "KAFKA102", "KAFKA103", "KAFKA104", "KAFKA105", "KAFKA106", "KAFKA107", "KAFKA109", "KAFKA111", "KAFKA112", "KAFKA113", "KAFKA115", "KAFKA116" };

    private static readonly string[] ConfigurationRules = { "KAFKA108", "KAFKA110" };

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Only <paramref name="rule"/> of the consumer analyzers reports; the source gets <see cref="Usings"/>.</summary>
    public static Task VerifyAsync(string rule, string source, params DiagnosticResult[] expected)
        => VerifyAsync(rule, source, editorConfig: null, withReliability: false, expected);

    public static Task VerifyAsync(string rule, string source, string? editorConfig, bool withReliability, params DiagnosticResult[] expected)
    {
        if (IsConfigurationRule(rule))
        {
            return Run(new CSharpAnalyzerVerifier<ConsumerConfigurationAnalyzer>.Test(), rule, source, editorConfig, withReliability, expected);
        }

        return Run(new CSharpAnalyzerVerifier<ConsumerFlowAnalyzer>.Test(), rule, source, editorConfig, withReliability, expected);
    }

    /// <summary>
    /// Applies the fix whose equivalence key is <c>{rule}.{action}</c> (and Fix All in document, project
    /// and solution scope), checks the result compiles and leaves <paramref name="remaining"/>.
    /// </summary>
    public static Task VerifyFixAsync(string rule, string source, DiagnosticResult[] expected, string fixedSource, string? action = null, DiagnosticResult[]? remaining = null, bool withReliability = false, string? editorConfig = null)
    {
        if (IsConfigurationRule(rule) || rule is "KAFKA109" or "KAFKA113")
        {
            return RunFix(new CSharpCodeFixVerifier<ConsumerAnalyzers, ConsumerConfigurationCodeFixProvider>.Test(), rule, source, expected, fixedSource, action, remaining, withReliability, editorConfig);
        }

        if (rule == "KAFKA105")
        {
            return RunFix(new CSharpCodeFixVerifier<ConsumerAnalyzers, CloseBeforeDisposeCodeFixProvider>.Test(), rule, source, expected, fixedSource, action, remaining, withReliability, editorConfig);
        }

        return RunFix(new CSharpCodeFixVerifier<ConsumerAnalyzers, ConsumerFlowCodeFixProvider>.Test(), rule, source, expected, fixedSource, action, remaining, withReliability, editorConfig);
    }

    /// <summary>The diagnostics are reported but no fix with equivalence key <c>{rule}.{action}</c> (or none at all) is offered.</summary>
    public static Task VerifyNoFixAsync(string rule, string source, DiagnosticResult[] expected, string? action = null, bool withReliability = false)
        => VerifyFixAsync(rule, source, expected, source, action, remaining: expected, withReliability: withReliability);

    private static bool IsConfigurationRule(string rule) => ConfigurationRules.Contains(rule);

    private static Task Run<TAnalyzer>(CSharpAnalyzerVerifier<TAnalyzer>.Test test, string rule, string source, string? editorConfig, bool withReliability, DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        test.TestCode = Usings + source;
        Configure(test.TestState, editorConfig, withReliability);
        test.DisabledDiagnostics.AddRange(FlowRules.Concat(ConfigurationRules).Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static Task RunFix<TFix>(CSharpCodeFixVerifier<ConsumerAnalyzers, TFix>.Test test, string rule, string source, DiagnosticResult[] expected, string fixedSource, string? action, DiagnosticResult[]? remaining, bool withReliability, string? editorConfig)
        where TFix : CodeFixProvider, new()
    {
        test.TestCode = Usings + source;
        test.FixedCode = Usings + fixedSource;
        Configure(test.TestState, editorConfig, withReliability);
        Configure(test.FixedState, editorConfig, withReliability);
        test.DisabledDiagnostics.AddRange(FlowRules.Concat(ConfigurationRules).Where(id => id != rule));
        test.ExpectedDiagnostics.AddRange(expected);
        if (action is not null)
        {
            test.CodeActionEquivalenceKey = rule + "." + action;
        }

        if (remaining is not null)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test.RunAsync();
    }

    private static void Configure(SolutionState state, string? editorConfig, bool withReliability)
    {
        if (withReliability)
        {
            state.AdditionalReferences.Clear();
            state.AdditionalReferences.AddRange(TestReferences.WithReliability);
        }

        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }
    }
}

/// <summary>Both consumer analyzers at once, for fix tests whose fix serves rules of either.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ConsumerAnalyzers : DiagnosticAnalyzer
{
    private readonly DiagnosticAnalyzer[] _analyzers = { new ConsumerFlowAnalyzer(), new ConsumerConfigurationAnalyzer() };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics
        => _analyzers.SelectMany(a => a.SupportedDiagnostics).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        foreach (var analyzer in _analyzers)
        {
            analyzer.Initialize(context);
        }
    }
}
