namespace KafkaAnalyzers.Model;

/// <summary>Typed reading of the consumer group settings the consumer configuration rules share.</summary>
internal readonly struct ConsumerSettings
{
    /// <summary>librdkafka's range for session.timeout.ms and heartbeat.interval.ms; other values make Build() throw.</summary>
    private const long MaxMilliseconds = 3600 * 1000;

    public ConsumerSettings(ConfigContext context)
    {
        Context = context;
        SessionTimeout = context.Get(ConfigKeys.SessionTimeoutMs);
        HeartbeatInterval = context.Get(ConfigKeys.HeartbeatIntervalMs);
        GroupProtocol = context.Get(ConfigKeys.GroupProtocol);
        MaxPollInterval = context.Get(ConfigKeys.MaxPollIntervalMs);
        GroupId = context.Get(ConfigKeys.GroupId);
        AutoCommit = context.Get(ConfigKeys.EnableAutoCommit);
        AutoOffsetStore = context.Get(ConfigKeys.EnableAutoOffsetStore);
    }

    public ConfigContext Context { get; }

    public Setting SessionTimeout { get; }

    public Setting HeartbeatInterval { get; }

    public Setting GroupProtocol { get; }

    public Setting MaxPollInterval { get; }

    public Setting GroupId { get; }

    public Setting AutoCommit { get; }

    public Setting AutoOffsetStore { get; }

    /// <summary>enable.auto.commit is certainly on: set to true, or never set on a visible configuration (default true).</summary>
    public bool AutoCommitOn => IsCertainlyTrue(AutoCommit);

    /// <summary>enable.auto.commit is set to false.</summary>
    public bool AutoCommitOff => AutoCommit.IsKnown && ConfigValues.TryParseBool(AutoCommit.Value, out var on) && !on;

    /// <summary>enable.auto.offset.store is certainly on: set to true, or never set on a visible configuration (default true).</summary>
    public bool AutoOffsetStoreOn => IsCertainlyTrue(AutoOffsetStore);

    /// <summary>
    /// group.protocol is known to be the KIP-848 <c>consumer</c> protocol, where the broker owns the
    /// session timeout and heartbeat interval and Build() rejects them when set on the client.
    /// </summary>
    public bool NextGenerationProtocol
        => GroupProtocol.IsKnown && ConfigValues.EqualsIgnoreCase(GroupProtocol.Value, "consumer");

    private static bool IsCertainlyTrue(Setting setting)
        => setting.IsCertain && ConfigValues.TryParseBool(setting.Value, out var value) && value;

    /// <summary>A certain (known or default) millisecond setting within librdkafka's accepted range; null otherwise.</summary>
    public static long? Milliseconds(Setting setting)
        => setting.IsCertain
           && ConfigValues.TryParseInt(setting.Value, out var value)
           && value is >= 1 and <= MaxMilliseconds
            ? value
            : null;
}
