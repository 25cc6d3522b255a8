using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes.Consumers;

/// <summary>Fixes for KAFKA108.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsumerConfigurationCodeFixProvider))]
[Shared]
public sealed class ConsumerConfigurationCodeFixProvider : ConfigurationCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA108");

    protected override string Title(string diagnosticId, string action) => "Set the heartbeat interval to a third of the session timeout";
}
