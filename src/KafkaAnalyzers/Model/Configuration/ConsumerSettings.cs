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
    }

    public ConfigContext Context { get; }

    public Setting SessionTimeout { get; }

    public Setting HeartbeatInterval { get; }

    public Setting GroupProtocol { get; }

    /// <summary>
    /// group.protocol is known to be the KIP-848 <c>consumer</c> protocol, where the broker owns the
    /// session timeout and heartbeat interval and Build() rejects them when set on the client.
    /// </summary>
    public bool NextGenerationProtocol
        => GroupProtocol.IsKnown && ConfigValues.EqualsIgnoreCase(GroupProtocol.Value, "consumer");

    /// <summary>A certain (known or default) millisecond setting within librdkafka's accepted range; null otherwise.</summary>
    public static long? Milliseconds(Setting setting)
        => setting.IsCertain
           && ConfigValues.TryParseInt(setting.Value, out var value)
           && value is >= 1 and <= MaxMilliseconds
            ? value
            : null;
}
