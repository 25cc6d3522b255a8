using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

/// <summary>
/// KAFKA108 heartbeat not a third of the session timeout and KAFKA110 configurations Build() rejects:
/// the consumer group settings of each consumer configuration, read from the shared configuration
/// model. Each rule is one <c>Report…</c> method fed by the same <see cref="ConsumerSettings"/>.
/// </summary>
internal sealed class ConsumerConfigurationAnalyzer : KafkaTypeAnalyzer
{
    private const string HeartbeatProperty = "HeartbeatIntervalMs";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA108_HeartbeatNotAThirdOfSession,
        Descriptors.KAFKA110_ConsumerConfigRejected);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var reporter = new DeduplicatingReporter(context);
        foreach (var config in analysis.Configurations.Contexts)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (config.Role != ClientRole.Consumer || config.IsBuiltToFail)
            {
                continue;
            }

            var settings = new ConsumerSettings(config);
            ReportHeartbeat(analysis, settings, reporter);
            ReportMaxPollBelowSession(analysis, settings, reporter);
            ReportMissingGroupId(analysis, settings, reporter);
        }
    }

    // ---- KAFKA108 -------------------------------------------------------------------------------

    private static void ReportHeartbeat(KafkaTypeAnalysis analysis, ConsumerSettings settings, DeduplicatingReporter reporter)
    {
        // Under group.protocol=consumer the broker owns both settings and Build() rejects them when set,
        // so a configuration that builds at all with either one written uses the classic protocol.
        if (settings.NextGenerationProtocol
            || ConsumerSettings.Milliseconds(settings.SessionTimeout) is not { } session
            || ConsumerSettings.Milliseconds(settings.HeartbeatInterval) is not { } heartbeat
            || session >= 3 * heartbeat)
        {
            return;
        }

        var third = session / 3;
        var rule = Descriptors.KAFKA108_HeartbeatNotAThirdOfSession;
        var sessionText = session.ToString(CultureInfo.InvariantCulture);
        var heartbeatText = heartbeat.ToString(CultureInfo.InvariantCulture);
        if (settings.HeartbeatInterval.IsKnown)
        {
            var fix = third >= 1 ? ReplaceValue(third) : null;
            reporter.Report(rule, settings.HeartbeatInterval.Write!.Location, fix, additionalLocations: null, sessionText, heartbeatText);
        }
        else if (settings.SessionTimeout.IsKnown)
        {
            var creation = AddHeartbeatTarget(analysis, settings);
            var fix = third >= 1 && creation is not null ? AddHeartbeat(third) : null;
            var write = settings.SessionTimeout.Write!;
            reporter.Report(rule, write.Location, fix, fix is null ? null : new[] { creation!.Syntax.GetLocation() }, sessionText, heartbeatText);
        }
    }

    // ---- KAFKA110 -------------------------------------------------------------------------------

    /// <summary>librdkafka refuses <c>max.poll.interval.ms</c> below <c>session.timeout.ms</c> when the consumer is created.</summary>
    private static void ReportMaxPollBelowSession(KafkaTypeAnalysis analysis, ConsumerSettings settings, DeduplicatingReporter reporter)
    {
        if (settings.NextGenerationProtocol
            || ConsumerSettings.Milliseconds(settings.SessionTimeout) is not { } session
            || !settings.MaxPollInterval.IsCertain
            || !ConfigValues.TryParseInt(settings.MaxPollInterval.Value, out var maxPoll)
            || maxPoll < 1
            || maxPoll >= session
            || (!settings.MaxPollInterval.IsKnown && !settings.SessionTimeout.IsKnown))
        {
            return;
        }

        var rule = Descriptors.KAFKA110_ConsumerConfigRejected;
        var message = $"Build() throws: max.poll.interval.ms ({maxPoll} ms) must not be below session.timeout.ms ({session} ms)";
        var sessionText = session.ToString(CultureInfo.InvariantCulture);
        if (settings.MaxPollInterval.IsKnown)
        {
            reporter.Report(rule, settings.MaxPollInterval.Write!.Location, ReplaceValue(session), additionalLocations: null, message);
        }
        else
        {
            var write = settings.SessionTimeout.Write!;
            var fix = ConfigFix.Set(analysis.Symbols, settings.Context, settings.MaxPollInterval, "MaxPollIntervalMs", ConfigKeys.MaxPollIntervalMs, sessionText, write.Location.SourceTree!);
            reporter.Report(rule, write.Location, fix?.Properties, fix?.AdditionalLocations, message);
        }
    }

    /// <summary>
    /// Confluent's consumer constructor throws ArgumentException when group.id is absent, whatever the
    /// consumer does (Consumer.cs); an empty group.id builds but cannot subscribe.
    /// </summary>
    private static void ReportMissingGroupId(KafkaTypeAnalysis analysis, ConsumerSettings settings, DeduplicatingReporter reporter)
    {
        var context = settings.Context;
        if (context.Builder is null || !settings.GroupId.IsCertain)
        {
            return;
        }

        if (settings.GroupId.IsDefault && settings.GroupId.Write is null)
        {
            reporter.Report(Descriptors.KAFKA110_ConsumerConfigRejected, context.Location, messageArgs: "Build() throws: this consumer configuration sets no GroupId ('group.id' configuration parameter is required)");
            return;
        }

        if (settings.GroupId.IsKnown && string.IsNullOrEmpty(settings.GroupId.Value)
            && analysis.Consumers.Instances.Any(i => i.Builder == context.Builder && i.Subscribes))
        {
            reporter.Report(Descriptors.KAFKA110_ConsumerConfigRejected, settings.GroupId.Write!.Location, messageArgs: "Subscribe fails: this consumer subscribes with an empty GroupId");
        }
    }

    /// <summary>
    /// The creation the heartbeat can be added to: the configuration's own creation, when it is a
    /// ConsumerConfig (which has the typed property) or a string dictionary (which takes the key), in
    /// the same file as the write, and no later write removed an earlier heartbeat (a null assignment
    /// after the creation would undo the added setting).
    /// </summary>
    private static IObjectCreationOperation? AddHeartbeatTarget(KafkaTypeAnalysis analysis, ConsumerSettings settings)
    {
        if (settings.HeartbeatInterval.Write is not null
            || settings.Context.Origin is not IObjectCreationOperation creation
            || creation.Syntax.SyntaxTree != settings.SessionTimeout.Write!.Location.SourceTree)
        {
            return null;
        }

        var symbols = analysis.Symbols;
        var type = creation.Type;
        if (symbols.IsKafkaConfigType(type))
        {
            return InheritsFrom(type, symbols.ConsumerConfig) ? creation : null;
        }

        return KafkaSymbols.IsConstructedFrom(type, symbols.Dictionary) && symbols.IsStringDictionary(type) ? creation : null;
    }

    private static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableDictionary<string, string?> ReplaceValue(long heartbeat)
    {
        var text = heartbeat.ToString(CultureInfo.InvariantCulture);
        return ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Action, FixProperties.ActionReplaceValue)
            .Add(FixProperties.TypedValue, text)
            .Add(FixProperties.StringValue, text);
    }

    private static ImmutableDictionary<string, string?> AddHeartbeat(long heartbeat)
    {
        var text = heartbeat.ToString(CultureInfo.InvariantCulture);
        return ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Action, FixProperties.ActionAddSetting)
            .Add(FixProperties.CreationAtAdditionalLocation, "true")
            .Add(FixProperties.Property, HeartbeatProperty)
            .Add(FixProperties.TypedValue, text)
            .Add(FixProperties.Key, ConfigKeys.HeartbeatIntervalMs)
            .Add(FixProperties.StringValue, text);
    }
}
