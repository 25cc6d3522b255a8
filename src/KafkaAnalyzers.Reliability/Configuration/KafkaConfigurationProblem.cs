namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>One unsafe or invalid setting found by <see cref="KafkaConfigValidator"/>.</summary>
/// <param name="Key">The configuration key that was set (or the key the .NET property writes, when the setting was left unset).</param>
/// <param name="Property">The .NET property for that setting, e.g. <c>ProducerConfig.Acks</c>.</param>
/// <param name="Value">The raw value, or null when the setting is unset and librdkafka's default applies.</param>
/// <param name="Message">What is wrong and what to set instead, naming the key and the .NET property.</param>
public sealed record KafkaConfigurationProblem(string Key, string Property, string? Value, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
