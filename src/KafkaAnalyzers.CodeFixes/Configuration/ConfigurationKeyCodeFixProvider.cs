using System.Collections.Immutable;
using System.Composition;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaAnalyzers.CodeFixes.Configuration;

/// <summary>
/// KAFKA301: replaces an unknown key with the one known key it is a near miss of. Offered only when
/// the analyzer found exactly one suggestion and the key is a string literal; Fix All gives each key
/// its own suggestion.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConfigurationKeyCodeFixProvider))]
[Shared]
public sealed class ConfigurationKeyCodeFixProvider : ConfigurationCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("KAFKA301");

    protected override string Title(string diagnosticId, string action) => "Replace with the known key";

    protected override string Title(Diagnostic diagnostic, string action)
        => diagnostic.Properties.TryGetValue(FixProperties.Key, out var key) && key is not null
            ? $"Replace with '{key}'"
            : Title(diagnostic.Id, action);
}
