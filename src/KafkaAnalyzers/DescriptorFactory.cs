using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>The only place a <see cref="DiagnosticDescriptor"/> is constructed (the raw constructor is banned).</summary>
internal static class DescriptorFactory
{
    /// <summary>Built from the one repository URL (KafkaAnalyzersRepositoryUrl, compiled in as <see cref="RepositoryInfo.Url"/>).</summary>
    public const string HelpLinkBase = RepositoryInfo.Url + "/blob/main/docs/rules/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    public static DiagnosticDescriptor Create(
        string id,
        string category,
        DiagnosticSeverity severity,
        string title,
        string messageFormat,
        string description,
        bool dataLoss)
    {
        // Reported from symbol-end actions, which the IDE runs live; no CompilationEnd tag, so the
        // squiggles show while typing rather than only in full-solution analysis.
        var tags = dataLoss ? new[] { "Kafka", "DataLoss" } : new[] { "Kafka" };
#pragma warning disable RS0030 // the factory is the one sanctioned caller
        return new DiagnosticDescriptor(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id),
            customTags: tags);
#pragma warning restore RS0030
    }
}

internal static class Categories
{
    public const string Reliability = "Reliability";
    public const string Security = "Security";
}
