using System;
using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Configuration;

/// <summary>
/// KAFKA301: a string key written to a Kafka client configuration that librdkafka and Confluent.Kafka
/// do not know, so Build() throws. Also a Confluent-only <c>dotnet.producer.*</c> /
/// <c>dotnet.consumer.*</c> key that reaches a client of the other kind (Build() throws there too).
/// </summary>
internal sealed class ConfigurationKeyAnalyzer : KafkaTypeAnalyzer
{
    private const string PluginLibraryPaths = "plugin.library.paths";
    private const string DotnetProducerPrefix = "dotnet.producer.";
    private const string DotnetConsumerPrefix = "dotnet.consumer.";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.KAFKA301_UnknownConfigurationKey);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var writes = analysis.Configurations.Writes;
        if (writes.IsEmpty)
        {
            return;
        }

        var reporter = new DeduplicatingReporter(context);
        var pluginsLoaded = LoadsPlugins(writes);
        foreach (var write in writes)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!write.IsStringKey || write.Key is not { } key || write.KeyOperation is null || LibrdkafkaProperties.IsKnown(key))
            {
                continue;
            }

            var suggestion = LibrdkafkaProperties.SuggestFor(key);

            // A loaded librdkafka plugin is offered every key librdkafka does not know and may accept
            // it; a near miss of a known key is still a typo.
            if (suggestion is null && pluginsLoaded)
            {
                continue;
            }

            reporter.Report(
                Descriptors.KAFKA301_UnknownConfigurationKey,
                write.KeyOperation.Syntax.GetLocation(),
                suggestion is not null && IsStringLiteral(write.KeyOperation) ? ReplaceKey(suggestion) : null,
                additionalLocations: null,
                key,
                suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)");
        }

        ReportKeysForOtherClients(analysis, reporter);
    }

    /// <summary>
    /// Confluent consumes its <c>dotnet.producer.*</c> keys only in a producer and its
    /// <c>dotnet.consumer.*</c> keys only in a consumer, and passes the others to librdkafka, which
    /// rejects them; an admin client rejects both. Reported when a builder of a known kind receives one.
    /// </summary>
    private static void ReportKeysForOtherClients(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var config in analysis.Configurations.Contexts)
        {
            analysis.CancellationToken.ThrowIfCancellationRequested();
            if (config.Builder is null || config.Role == ClientRole.Unknown)
            {
                continue;
            }

            foreach (var pair in config.State.Explicit)
            {
                if (pair.Value.Write is { IsStringKey: true, Key: { } key, KeyOperation: { } keyOperation }
                    && LibrdkafkaProperties.IsKnown(key)
                    && !AcceptedBy(config.Role, key))
                {
                    reporter.Report(
                        Descriptors.KAFKA301_UnknownConfigurationKey,
                        keyOperation.Syntax.GetLocation(),
                        properties: null,
                        additionalLocations: null,
                        key,
                        config.Role switch
                        {
                            ClientRole.Producer => " for a producer",
                            ClientRole.Consumer => " for a consumer",
                            _ => " for an admin client",
                        });
                }
            }
        }
    }

    private static bool AcceptedBy(ClientRole role, string key)
    {
        var producerKey = key.StartsWith(DotnetProducerPrefix, StringComparison.Ordinal);
        var consumerKey = key.StartsWith(DotnetConsumerPrefix, StringComparison.Ordinal);
        return role switch
        {
            ClientRole.Producer => !consumerKey,
            ClientRole.Consumer => !producerKey,
            _ => !producerKey && !consumerKey,
        };
    }

    private static bool LoadsPlugins(ImmutableArray<ConfigWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.CanonicalKey == PluginLibraryPaths && !write.Removes)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStringLiteral(IOperation key)
        => key is ILiteralOperation && key.Syntax.IsKind(SyntaxKind.StringLiteralExpression);

    private static ImmutableDictionary<string, string?> ReplaceKey(string key)
        => ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Action, FixProperties.ActionReplaceKey)
            .Add(FixProperties.Key, key);
}
