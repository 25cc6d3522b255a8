using System.Linq;

namespace KafkaAnalyzers.Model;

/// <summary>Typed reading of the producer settings the durability rules share.</summary>
internal readonly struct ProducerSettings
{
    public ProducerSettings(ConfigContext context)
    {
        Context = context;
        Acks = context.Get(ConfigKeys.Acks);
        Idempotence = context.Get(ConfigKeys.EnableIdempotence);
        TransactionalId = context.Get(ConfigKeys.TransactionalId);
        MaxInFlight = context.Get(ConfigKeys.MaxInFlight);
        Retries = context.Get(ConfigKeys.Retries);
        MessageTimeout = context.Get(ConfigKeys.MessageTimeoutMs);
        Linger = context.Get(ConfigKeys.LingerMs);
        RequestTimeout = context.Get(ConfigKeys.RequestTimeoutMs);
        TransactionTimeout = context.Get(ConfigKeys.TransactionTimeoutMs);
        QueuingStrategy = context.Get(ConfigKeys.QueuingStrategy);
        BackpressureThreshold = context.Get(ConfigKeys.BackpressureThreshold);
    }

    public ConfigContext Context { get; }

    public Setting Acks { get; }

    public Setting Idempotence { get; }

    public Setting TransactionalId { get; }

    public Setting MaxInFlight { get; }

    public Setting Retries { get; }

    public Setting MessageTimeout { get; }

    public Setting Linger { get; }

    public Setting RequestTimeout { get; }

    public Setting TransactionTimeout { get; }

    public Setting QueuingStrategy { get; }

    public Setting BackpressureThreshold { get; }

    /// <summary>queuing.strategy written as something other than fifo (idempotence requires fifo).</summary>
    public bool QueuingNotFifo => QueuingStrategy.IsKnown && QueuingStrategy.Value is not null && !ConfigValues.EqualsIgnoreCase(QueuingStrategy.Value, "fifo");

    /// <summary>queue.buffering.backpressure.threshold written above 1 (idempotence requires 1).</summary>
    public bool BackpressureAboveOne => BackpressureThreshold.IsKnown && Int(BackpressureThreshold) > 1;

    /// <summary>acks written as 0 or 1.</summary>
    public bool AcksWeak => AcksValue is 0 or 1;

    /// <summary>acks written as anything but all (-1).</summary>
    public bool AcksNotAll => AcksValue is { } value && value != -1;

    public long? AcksValue => Acks.IsKnown && ConfigValues.TryParseInt(Acks.Value, out var acks) ? acks : null;

    public bool TransactionalIdSet => TransactionalId.IsKnown && !string.IsNullOrEmpty(TransactionalId.Value);

    /// <summary>
    /// Idempotence is on for sure: set to true, or left unset on a transactional producer
    /// (transactional.id turns it on unless explicitly disabled).
    /// </summary>
    public bool IdempotenceOn
        => IsTrue(Idempotence) || (Idempotence.IsDefault && TransactionalIdSet);

    public bool IdempotenceExplicitlyOff => Idempotence.IsKnown && IsFalse(Idempotence);

    /// <summary>
    /// A topic-level setting (acks, message.timeout.ms, request.timeout.ms...) is written, so librdkafka
    /// creates the default topic configuration and checks it against linger.ms when the client is
    /// built; without one the same conflict only fails each produce call.
    /// </summary>
    public bool SetsTopicLevelSetting
        => Context.State.Explicit.Any(pair => pair.Value.IsKnown && LibrdkafkaProperties.IsTopicLevel(pair.Key));

    public static bool IsTrue(Setting setting) => setting.IsKnown && ConfigValues.TryParseBool(setting.Value, out var value) && value;

    public static bool IsFalse(Setting setting) => setting.IsKnown && ConfigValues.TryParseBool(setting.Value, out var value) && !value;

    public static long? Int(Setting setting)
        => setting.IsCertain && ConfigValues.TryParseInt(setting.Value, out var value) ? value : null;

    public static double? Double(Setting setting)
        => setting.IsCertain && ConfigValues.TryParseDouble(setting.Value, out var value) ? value : null;
}
