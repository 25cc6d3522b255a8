using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Processing;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>A consumed message on its way through processing, with the assignment it was consumed under.</summary>
internal sealed record WorkItem(ConsumeResult<byte[], byte[]> Message, OwnedPartition Owner, TrackedOffset Tracked);
