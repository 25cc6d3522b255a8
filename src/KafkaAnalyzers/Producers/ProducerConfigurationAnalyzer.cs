using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Producers;

/// <summary>
/// KAFKA001 weak acks, KAFKA002 idempotence off, KAFKA003 settings Build() rejects, KAFKA009 retries
/// disabled or delivery timeout too short: the producer durability settings, read from the shared
/// configuration model.
/// </summary>
internal sealed class ProducerConfigurationAnalyzer : KafkaTypeAnalyzer
{
    /// <summary>librdkafka's message.timeout.ms default, which the timeout fix falls back to.</summary>
    private const long DefaultMessageTimeoutMs = 300000;

    private const long MinimumMessageTimeoutMs = 10000;

    private const string RemoveTheOverride = "remove the override";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA001_WeakAcks,
        Descriptors.KAFKA002_IdempotenceNotEnabled,
        Descriptors.KAFKA003_ProducerConfigRejected,
        Descriptors.KAFKA009_RetriesOrTimeoutTooLow);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var reporter = new DeduplicatingReporter(context);
        foreach (var config in analysis.Configurations.Contexts)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (config.Role != ClientRole.Producer || config.IsBuiltToFail)
            {
                continue;
            }

            var settings = new ProducerSettings(config);
            var rejected = ReportRejected(settings, reporter);
            if (!SendsOnlyToLossyTopics(analysis, config))
            {
                ReportWeakAcks(settings, rejected, reporter);
                ReportIdempotence(analysis.Symbols, settings, rejected, reporter);
            }

            ReportRetriesAndTimeout(settings, rejected, reporter);
        }
    }

    private static bool SendsOnlyToLossyTopics(KafkaTypeAnalysis analysis, ConfigContext config)
    {
        if (config.Builder is null)
        {
            return false;
        }

        var options = analysis.OptionsFor(config.Builder.Syntax.SyntaxTree);
        if (options.LossyTopicPatterns.IsEmpty)
        {
            return false;
        }

        var producer = analysis.ProducerBuiltBy(config.Builder);
        return producer is { TopicsKnown: true } && producer.Topics.All(options.IsLossyTopic);
    }

    // ---- KAFKA003 -------------------------------------------------------------------------------

    private static Rejected ReportRejected(ProducerSettings settings, DeduplicatingReporter reporter)
    {
        var rejected = Rejected.None;
        var rule = Descriptors.KAFKA003_ProducerConfigRejected;
        if (settings.IdempotenceOn)
        {
            var why = settings.TransactionalIdSet && !settings.Idempotence.IsKnown ? "transactional.id turns on idempotence, which" : "enable.idempotence";
            if (settings.AcksNotAll)
            {
                Report(reporter, rule, settings.Acks, ReplaceValue("Confluent.Kafka.Acks.All", "all"), $"{why} requires acks=all, but acks is {settings.AcksValue}");
                rejected |= Rejected.Acks;
            }

            if (ProducerSettings.Int(settings.MaxInFlight) is > 5 and var inFlight && settings.MaxInFlight.IsKnown)
            {
                Report(reporter, rule, settings.MaxInFlight, ReplaceValue("5", "5"), $"{why} requires max.in.flight <= 5, but it is {inFlight}");
            }

            if (ProducerSettings.Int(settings.Retries) == 0 && settings.Retries.IsKnown)
            {
                Report(reporter, rule, settings.Retries, RemoveWrite(), $"{why} requires retries >= 1, but retries is 0");
                rejected |= Rejected.Retries;
            }

            if (settings.QueuingNotFifo)
            {
                Report(reporter, rule, settings.QueuingStrategy, RemoveWrite(), $"{why} requires queuing.strategy=fifo, but it is {settings.QueuingStrategy.Value}");
            }

            if (settings.BackpressureAboveOne)
            {
                Report(reporter, rule, settings.BackpressureThreshold, RemoveWrite(), $"{why} requires queue.buffering.backpressure.threshold=1, but it is {settings.BackpressureThreshold.Value}");
            }
        }

        if (settings.TransactionalIdSet && settings.IdempotenceExplicitlyOff)
        {
            Report(reporter, rule, settings.Idempotence, ReplaceValue("true", "true"), "transactional.id requires enable.idempotence=true, but it is set to false");
            rejected |= Rejected.Idempotence;
        }

        var gapless = settings.Context.Get(ConfigKeys.EnableGaplessGuarantee);
        if (ProducerSettings.IsTrue(gapless) && (settings.IdempotenceExplicitlyOff || (settings.Idempotence.IsDefault && settings.TransactionalId.IsDefault)))
        {
            Report(reporter, rule, gapless, properties: null, "enable.gapless.guarantee requires enable.idempotence=true");
        }

        rejected |= ReportTimeoutConflicts(settings, reporter);
        return rejected;
    }

    /// <summary>
    /// message.timeout.ms must exceed linger.ms, which librdkafka enforces only when linger.ms is set
    /// (otherwise it lowers linger.ms itself) and, for the default timeout, only once a topic-level
    /// setting exists; a transactional producer's message.timeout.ms defaults to
    /// transaction.timeout.ms and may not exceed it (all checked against Confluent.Kafka 2.16).
    /// </summary>
    private static Rejected ReportTimeoutConflicts(ProducerSettings settings, DeduplicatingReporter reporter)
    {
        var rule = Descriptors.KAFKA003_ProducerConfigRejected;
        var transactional = settings.TransactionalIdSet && settings.IdempotenceOn;
        var transactionTimeout = ProducerSettings.Int(settings.TransactionTimeout);
        var timeout = ProducerSettings.Int(settings.MessageTimeout);
        if (transactional && settings.MessageTimeout.IsKnown && timeout is { } explicitTimeout
            && transactionTimeout is { } limit && explicitTimeout > limit)
        {
            Report(reporter, rule, settings.MessageTimeout, RemoveTimeoutFix(settings), $"a transactional producer requires message.timeout.ms <= transaction.timeout.ms, but message.timeout.ms is {explicitTimeout} and transaction.timeout.ms is {limit}");
            return Rejected.Timeout;
        }

        if (!settings.Linger.IsKnown || ProducerSettings.Double(settings.Linger) is not { } lingerMs)
        {
            return Rejected.None;
        }

        string timeoutText;
        if (settings.MessageTimeout.IsKnown && timeout is { } known)
        {
            timeoutText = known.ToString(CultureInfo.InvariantCulture);
        }
        else if (!settings.SetsTopicLevelSetting)
        {
            // librdkafka compares the default timeout with linger.ms only in the topic configuration.
            return Rejected.None;
        }
        else if (settings.MessageTimeout.IsDefault && settings.TransactionalId.IsDefault)
        {
            timeout = DefaultMessageTimeoutMs;
            timeoutText = $"{DefaultMessageTimeoutMs}, the default";
        }
        else if (settings.MessageTimeout.IsDefault && transactional && transactionTimeout is { } fromTransaction)
        {
            timeout = System.Math.Min(DefaultMessageTimeoutMs, fromTransaction);
            timeoutText = $"{timeout}, from transaction.timeout.ms";
        }
        else
        {
            return Rejected.None;
        }

        if (timeout is not { } t || t == 0 || t > lingerMs)
        {
            return Rejected.None;
        }

        var message = $"message.timeout.ms ({timeoutText}) must be greater than linger.ms ({Format(lingerMs)})";
        if (settings.MessageTimeout.IsKnown)
        {
            Report(reporter, rule, settings.MessageTimeout, RemoveTimeoutFix(settings), message);
        }
        else
        {
            Report(reporter, rule, settings.Linger, properties: null, message);
        }

        return Rejected.Timeout;
    }

    // ---- KAFKA001 -------------------------------------------------------------------------------

    private static void ReportWeakAcks(ProducerSettings settings, Rejected rejected, DeduplicatingReporter reporter)
    {
        if (!settings.AcksWeak || (rejected & Rejected.Acks) != 0)
        {
            return;
        }

        var (value, consequence) = settings.AcksValue == 0
            ? ("0 (no acknowledgement)", "the producer never waits for a broker, so a message is reported delivered even if no broker stored it")
            : ("1 (leader only)", "a message is reported delivered before it is replicated, so a leader failure loses it");
        reporter.Report(Descriptors.KAFKA001_WeakAcks, settings.Acks.Write!.Location, ReplaceValue("Confluent.Kafka.Acks.All", "all"), additionalLocations: null, value, consequence);
    }

    // ---- KAFKA002 -------------------------------------------------------------------------------

    private static void ReportIdempotence(KafkaSymbols symbols, ProducerSettings settings, Rejected rejected, DeduplicatingReporter reporter)
    {
        var rule = Descriptors.KAFKA002_IdempotenceNotEnabled;
        if (settings.IdempotenceExplicitlyOff)
        {
            if ((rejected & Rejected.Idempotence) == 0)
            {
                var write = settings.Idempotence.Write!;
                reporter.Report(rule, write.Location, EnableIdempotenceFix(symbols, settings, FixProperties.ActionReplaceValue, write.Location), AcksLocation(settings), $"{Name(write, "EnableIdempotence")} is false");
            }

            return;
        }

        var config = settings.Context;
        if (settings.Idempotence.IsDefault && config.DefaultsApply && settings.TransactionalId.IsDefault)
        {
            reporter.Report(rule, config.Location, EnableIdempotenceFix(symbols, settings, FixProperties.ActionAddSetting, config.Location), AcksLocation(settings), "Idempotence is never enabled (librdkafka's default is false)");
        }
    }

    /// <summary>
    /// Turning idempotence on makes Build() throw when acks, max.in.flight, retries, queuing.strategy or
    /// the backpressure threshold are explicitly set to conflicting values (librdkafka adjusts unset
    /// ones), so the fix also sets a weak acks to all, and is not offered when another conflicting
    /// setting is unknown or explicitly incompatible.
    /// </summary>
    private static ImmutableDictionary<string, string?>? EnableIdempotenceFix(KafkaSymbols symbols, ProducerSettings settings, string action, Location at)
    {
        if (action == FixProperties.ActionAddSetting && settings.Context.Origin?.Type is INamedTypeSymbol type
            && symbols.IsKafkaConfigType(type) && !HasProperty(type, "EnableIdempotence"))
        {
            // A ClientConfig (or another config class without the property) handed to a ProducerBuilder.
            return null;
        }

        if (settings.AcksWeak && settings.Acks.Write!.Location.SourceTree != at.SourceTree)
        {
            // The fix edits one document: a weak acks written in another file would be left to throw.
            return null;
        }

        if (!settings.Acks.IsCertain || !settings.MaxInFlight.IsCertain || !settings.Retries.IsCertain
            || !settings.QueuingStrategy.IsCertain || !settings.BackpressureThreshold.IsCertain
            || (settings.MaxInFlight.IsKnown && ProducerSettings.Int(settings.MaxInFlight) > 5)
            || (settings.Retries.IsKnown && ProducerSettings.Int(settings.Retries) == 0)
            || settings.QueuingNotFifo || settings.BackpressureAboveOne
            || (settings.AcksNotAll && !settings.AcksWeak))
        {
            return null;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder[FixProperties.Action] = action;
        builder[FixProperties.Property] = "EnableIdempotence";
        builder[FixProperties.TypedValue] = "true";
        builder[FixProperties.Key] = "enable.idempotence";
        builder[FixProperties.StringValue] = "true";
        if (settings.AcksWeak)
        {
            builder[FixProperties.SecondTypedValue] = "Confluent.Kafka.Acks.All";
            builder[FixProperties.SecondStringValue] = "all";
        }

        return builder.ToImmutable();
    }

    private static bool HasProperty(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(name).Any(m => m is IPropertySymbol))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Location>? AcksLocation(ProducerSettings settings)
        => settings.AcksWeak ? new[] { settings.Acks.Write!.Location } : null;

    // ---- KAFKA009 -------------------------------------------------------------------------------

    private static void ReportRetriesAndTimeout(ProducerSettings settings, Rejected rejected, DeduplicatingReporter reporter)
    {
        var rule = Descriptors.KAFKA009_RetriesOrTimeoutTooLow;
        if ((rejected & Rejected.Retries) == 0 && settings.Retries.IsKnown && ProducerSettings.Int(settings.Retries) == 0)
        {
            reporter.Report(rule, settings.Retries.Write!.Location, RemoveWrite(), additionalLocations: null, $"{Name(settings.Retries.Write!, "MessageSendMaxRetries")} is 0, so nothing is retried", RemoveTheOverride);
        }

        if ((rejected & Rejected.Timeout) != 0 || !settings.MessageTimeout.IsKnown || ProducerSettings.Int(settings.MessageTimeout) is not { } timeout || timeout == 0)
        {
            return;
        }

        var name = Name(settings.MessageTimeout.Write!, "MessageTimeoutMs");
        var request = ProducerSettings.Int(settings.RequestTimeout);
        var linger = ProducerSettings.Double(settings.Linger);
        if (request is { } r && linger is { } l && timeout < r + l)
        {
            reporter.Report(rule, settings.MessageTimeout.Write!.Location, RemoveTimeoutFix(settings), additionalLocations: null, $"{name} is {timeout} ms, less than one request timeout plus linger ({Format(r + l)} ms)", "remove the override, or lower request.timeout.ms so a retry fits");
        }
        else if (timeout < MinimumMessageTimeoutMs)
        {
            reporter.Report(rule, settings.MessageTimeout.Write!.Location, RemoveTimeoutFix(settings), additionalLocations: null, $"{name} is {timeout} ms, under 10 seconds", RemoveTheOverride);
        }
    }

    /// <summary>
    /// Removing a message.timeout.ms override brings back librdkafka's default (for a transactional
    /// producer, transaction.timeout.ms); offered only when that default provably builds.
    /// </summary>
    private static ImmutableDictionary<string, string?>? RemoveTimeoutFix(ProducerSettings settings)
    {
        long? restored = DefaultMessageTimeoutMs;
        if (!settings.TransactionalId.IsDefault)
        {
            restored = settings.TransactionalIdSet && ProducerSettings.Int(settings.TransactionTimeout) is { } transaction
                ? System.Math.Min(DefaultMessageTimeoutMs, transaction)
                : null;
        }

        var linger = ProducerSettings.Double(settings.Linger);
        return restored is { } timeout && linger is { } l && timeout > l ? RemoveWrite() : null;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void Report(DeduplicatingReporter reporter, DiagnosticDescriptor rule, Setting setting, ImmutableDictionary<string, string?>? properties, string message)
        => reporter.Report(rule, setting.Write!.Location, properties, additionalLocations: null, message);

    private static ImmutableDictionary<string, string?> ReplaceValue(string typed, string text)
        => ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Action, FixProperties.ActionReplaceValue)
            .Add(FixProperties.TypedValue, typed)
            .Add(FixProperties.StringValue, text);

    private static ImmutableDictionary<string, string?> RemoveWrite()
        => ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Action, FixProperties.ActionRemoveWrite);

    /// <summary>How the user wrote the setting: the typed property name, or the quoted key.</summary>
    private static string Name(ConfigWrite write, string property) => write.IsStringKey ? $"'{write.Key}'" : property;

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [System.Flags]
    private enum Rejected
    {
        None = 0,
        Acks = 1,
        Retries = 2,
        Timeout = 4,
        Idempotence = 8,
    }
}
