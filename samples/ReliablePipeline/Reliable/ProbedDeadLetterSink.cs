using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Reliable;

/// <summary>Tells the probe when a dead letter is acknowledged (application metrics would hook in the same way).</summary>
internal sealed class ProbedDeadLetterSink(IDeadLetterSink inner, PipelineProbe probe) : IDeadLetterSink
{
    public async Task PublishAsync<TKey, TValue>(
        ConsumeResult<TKey, TValue> result,
        Exception exception,
        FailureCategory category = FailureCategory.Permanent,
        int attempts = 1,
        CancellationToken cancellationToken = default)
    {
        await inner.PublishAsync(result, exception, category, attempts, cancellationToken).ConfigureAwait(false);
        probe.Settled(result.TopicPartitionOffset);
    }
}
