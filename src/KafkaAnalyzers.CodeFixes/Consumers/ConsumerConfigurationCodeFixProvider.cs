using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes.Consumers;

/// <summary>Configuration fixes of the consumer rules: KAFKA108, KAFKA109, KAFKA110, KAFKA113.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsumerConfigurationCodeFixProvider))]
[Shared]
public sealed class ConsumerConfigurationCodeFixProvider : ConfigurationCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA108", "KAFKA109", "KAFKA110", "KAFKA113");

    protected override string Title(string diagnosticId, string action)
        => diagnosticId switch
        {
            "KAFKA109" => "Set EnableAutoOffsetStore = false",
            "KAFKA110" => "Raise the max poll interval to the session timeout",
            "KAFKA113" => "Set EnableAutoCommit = false",
            _ => "Set the heartbeat interval to a third of the session timeout",
        };
}
