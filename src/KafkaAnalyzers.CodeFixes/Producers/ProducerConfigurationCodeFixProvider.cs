using System.Collections.Immutable;
using System.Composition;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>Fixes for KAFKA001, KAFKA002, KAFKA003 and KAFKA009.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProducerConfigurationCodeFixProvider))]
[Shared]
public sealed class ProducerConfigurationCodeFixProvider : ConfigurationCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA001", "KAFKA002", "KAFKA003", "KAFKA009");

    protected override string Title(string diagnosticId, string action) => (diagnosticId, action) switch
    {
        ("KAFKA001", _) => "Set acks to all",
        ("KAFKA002", _) => "Enable idempotence",
        ("KAFKA003", FixProperties.ActionRemoveWrite) => "Remove the conflicting override",
        ("KAFKA003", _) => "Make the setting compatible",
        _ => "Remove the override",
    };
}
