using KafkaAnalyzers.Reliability.Health;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>A hosted consume loop, found by its options name (the handler type's full name) for its health check.</summary>
internal interface IHostedKafkaConsumer
{
    string Name { get; }

    /// <summary>The running loop; null before the host started it.</summary>
    IKafkaConsumerStatusSource? Current { get; }
}
