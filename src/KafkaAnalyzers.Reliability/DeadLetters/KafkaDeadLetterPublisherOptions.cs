using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>Settings of <see cref="KafkaDeadLetterPublisher"/>.</summary>
public sealed class KafkaDeadLetterPublisherOptions
{
    /// <summary>Suffix of the default dead-letter topic: <c>orders</c> goes to <c>orders.dlq</c>.</summary>
    public const string DefaultTopicSuffix = ".dlq";

    /// <summary>Chooses the dead-letter topic from the original topic. Default: <c>&lt;topic&gt;.dlq</c>. It must not return the original topic.</summary>
    public Func<string, string> DeadLetterTopic { get; set; } = static topic => topic + DefaultTopicSuffix;

    /// <summary>The consumer group that processes the original topic, written to <see cref="DeadLetterHeaders.ConsumerGroup"/>; omitted when null.</summary>
    public string? ConsumerGroupId { get; set; }

    /// <summary>
    /// Largest dead letter, in bytes, as counted by the producer's <c>message.max.bytes</c>. When null:
    /// the effective <c>message.max.bytes</c> of the configuration the publisher builds its producer from,
    /// or librdkafka's default 1000000 for a supplied producer. Set it lower when the dead-letter topic's
    /// <c>max.message.bytes</c> is lower.
    /// </summary>
    public int? MaxMessageBytes { get; set; }

    /// <summary>Serializers for typed consumed keys; see <see cref="DeadLetterSerializers"/> for the built-in fallbacks.</summary>
    public DeadLetterSerializers KeySerializers { get; } = new();

    /// <summary>Serializers for typed consumed values; see <see cref="DeadLetterSerializers"/> for the built-in fallbacks.</summary>
    public DeadLetterSerializers ValueSerializers { get; } = new();

    /// <summary>How long disposal waits for dead letters still in flight before giving up on them (their publish tasks then fault).</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for <see cref="DeadLetterHeaders.FailedAt"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives producer errors and failed publishes.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}
