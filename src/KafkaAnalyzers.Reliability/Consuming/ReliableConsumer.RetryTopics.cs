using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Processing;
using KafkaAnalyzers.Reliability.RetryTopics;

namespace KafkaAnalyzers.Reliability.Consuming;

// Retry topics (RetryTopicOptions): the hook points of the poll loop. The machinery is in RetryTopics/.
public sealed partial class ReliableConsumer<TKey, TValue>
{
    private readonly RetryTopicRouter? retryTopics;

    /// <summary>The Kafka consumer while the loop runs (tests read its group metadata).</summary>
    internal IConsumer<byte[], byte[]>? KafkaConsumer => consumer;

    /// <summary>The retry-topic machinery, when retry topics are on (tests read its state).</summary>
    internal RetryTopicRouter? RetryTopicRouter => retryTopics;

    private RetryTopicRouter? CreateRetryTopics(ReliableConsumerOptions options) =>
        options.RetryTopics is { Enabled: true }
            ? new RetryTopicRouter(options, config, groupId, resilience.DeadLetter, logger)
            : null;

    /// <summary>The source topics, and their tier topics when retry topics are on: one subscription, one group.</summary>
    private IEnumerable<string> SubscribedTopics() => retryTopics is null ? topics : topics.Concat(retryTopics.TierTopics);

    /// <summary>Hands the tier messages that became due to processing (poll thread).</summary>
    private void ReleaseDueRetries(IConsumer<byte[], byte[]> kafka) =>
        retryTopics?.ReleaseDue(kafka, resume: !pauser.IsPausing, Dispatch);

    /// <summary>Whether a consumed tier message must wait for its due time (its partition is then paused).</summary>
    private bool HoldUntilDue(IConsumer<byte[], byte[]> kafka, ConsumeResult<byte[], byte[]> result)
    {
        if (retryTopics is null)
        {
            return false;
        }

        if (retryTopics.TryHold(kafka, result))
        {
            return true;
        }

        retryTopics.OnDispatched(result);
        return false;
    }

    private OrderingKey? OrderingKeyOf(ConsumeResult<byte[], byte[]> result) =>
        retryTopics is null
            ? OrderingKey.For(result.Topic, result.Partition.Value, result.Message.Key)
            : retryTopics.OrderingKeyFor(result);

    private void RetryPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions) => retryTopics?.OnRevoked(partitions);

    private void StopRetryTopics()
    {
        retryTopics?.ForgetAll();
        retryTopics?.Stop();
    }
}
