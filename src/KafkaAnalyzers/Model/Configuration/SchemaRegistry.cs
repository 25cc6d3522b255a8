using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c>, resolved by name once per compilation (the analyzer
/// assembly does not reference Confluent.SchemaRegistry). Its typed properties write
/// <c>schema.registry.*</c> keys that <c>CachedSchemaRegistryClient</c> reads; none reaches librdkafka, so
/// its writes are kept apart from the client configurations' (<see cref="ConfigurationModel.SchemaRegistryWrites"/>).
/// </summary>
internal static class SchemaRegistry
{
    public const string AssemblyName = "Confluent.SchemaRegistry";

    /// <summary>The key <c>EnableSslCertificateVerification</c> writes; the client parses it with <c>bool.Parse</c>.</summary>
    public const string EnableSslCertificateVerification = "schema.registry.enable.ssl.certificate.verification";

    /// <summary>The registry URLs, comma-separated.</summary>
    public const string Url = "schema.registry.url";

    /// <summary>The type, when it comes from a referenced Confluent.SchemaRegistry assembly (a project's own look-alike does not count).</summary>
    public static INamedTypeSymbol? Config(Compilation compilation)
    {
#pragma warning disable RS0030 // once per compilation
        var type = compilation.GetTypeByMetadataName("Confluent.SchemaRegistry.SchemaRegistryConfig");
#pragma warning restore RS0030
        return type is not null && type.ContainingAssembly?.Name == AssemblyName
               && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly)
            ? type
            : null;
    }

    /// <summary>
    /// Property name → key, read from the constants of the nested <c>PropertyNames</c> class (named like the
    /// property, or with a <c>SchemaRegistry</c> prefix: <c>Url</c> → <c>SchemaRegistryUrl</c>).
    /// </summary>
    public static ImmutableDictionary<string, string> Keys(INamedTypeSymbol? config)
    {
        var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (config?.GetTypeMembers("PropertyNames").FirstOrDefault() is not { } names)
        {
            return keys.ToImmutable();
        }

        foreach (var member in config.GetMembers())
        {
            if (member is not IPropertySymbol { IsIndexer: false } property)
            {
                continue;
            }

            foreach (var candidate in new[] { property.Name, "SchemaRegistry" + property.Name })
            {
                if (names.GetMembers(candidate).FirstOrDefault() is IFieldSymbol { IsConst: true, ConstantValue: string key })
                {
                    keys[property.Name] = key;
                    break;
                }
            }
        }

        return keys.ToImmutable();
    }
}
