using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes.Security;

/// <summary>Fixes for KAFKA202 (remove the override that turns verification off) and KAFKA203 (use SASL_SSL).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SecurityConfigurationCodeFixProvider))]
[Shared]
public sealed class SecurityConfigurationCodeFixProvider : ConfigurationCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA202", "KAFKA203");

    protected override string Title(string diagnosticId, string action) => diagnosticId switch
    {
        "KAFKA202" => "Remove the override (restore TLS verification)",
        _ => "Use SecurityProtocol.SaslSsl",
    };
}
