using System.Collections.Immutable;
using System.Reflection;
using KafkaAnalyzers.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Everything the shipped assemblies contain, found by reflection so a new rule, analyzer or fixer is
/// covered by the meta-tests without touching them.
/// </summary>
internal static class KafkaAssemblies
{
    public static Assembly AnalyzerAssembly => typeof(Descriptors).Assembly;

    public static Assembly CodeFixAssembly => typeof(ConfigurationCodeFixProvider).Assembly;

    /// <summary>Every descriptor declared on <see cref="Descriptors"/>, the one place rules are declared.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = typeof(Descriptors)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<Type> AnalyzerTypes { get; } = AnalyzerAssembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<Type> CodeFixTypes { get; } = CodeFixAssembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(type))
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>A fresh instance of every analyzer (analyzers may keep per-instance state).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
        => AnalyzerTypes.Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CreateCodeFixes()
        => CodeFixTypes.Select(type => (CodeFixProvider)Activator.CreateInstance(type)!).ToImmutableArray();

    /// <summary>IDs some analyzer lists in its SupportedDiagnostics.</summary>
    public static ImmutableHashSet<string> ReportedIds { get; } = CreateAnalyzers()
        .SelectMany(analyzer => analyzer.SupportedDiagnostics)
        .Select(descriptor => descriptor.Id)
        .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>IDs some exported code fix lists as fixable.</summary>
    public static ImmutableHashSet<string> FixableIds { get; } = CreateCodeFixes()
        .Where(fix => fix.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .SelectMany(fix => fix.FixableDiagnosticIds)
        .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>The "Code fix" cell a page or readme must show: Yes exactly when an exported fix lists the rule.</summary>
    public static void AssertFixCell(string id, string? cell)
        => Assert.Equal(FixableIds.Contains(id) ? "Yes" : "No", cell);

    public static DiagnosticDescriptor Descriptor(string id) => Descriptors.Single(descriptor => descriptor.Id == id);

    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }
}
