using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters.Replay;

/// <summary>
/// An in-process cluster with a source topic and its dead-letter topic, filled by the real
/// <see cref="KafkaDeadLetterPublisher"/> (so the dead letters carry exactly the headers consumers write).
/// </summary>
internal sealed class DeadLetterFixture : IDisposable
{
    public DeadLetterFixture(int partitions = 2)
    {
        Cluster = InProcessKafkaCluster.Start(3);
        Partitions = partitions;
        Topic = Cluster.CreateTopicWithDeadLetterTopic("orders", partitions);
        DeadLetterTopic = Topic + ".dlq";
    }

    public InProcessKafkaCluster Cluster { get; }

    public int Partitions { get; }

    public string Topic { get; }

    public string DeadLetterTopic { get; }

    public ClientConfig Connection => new() { BootstrapServers = Cluster.BootstrapServers };

    /// <summary>Dead-letters messages with ids <paramref name="first"/>.. as if consumed from the source topic at offset = id, partition = id % partitions.</summary>
    public async Task PublishAsync(int first, int count, Func<int, (Exception Failure, FailureCategory Category)> failureOf, Func<int, Headers>? extraHeaders = null, string? originalTopic = null)
    {
        await using var publisher = new KafkaDeadLetterPublisher(Cluster.BootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = "billing", DeadLetterTopic = _ => DeadLetterTopic });
        var tasks = new List<Task>();
        for (var id = first; id < first + count; id++)
        {
            var headers = extraHeaders?.Invoke(id) ?? new Headers();
            headers.Add("id", Encoding.UTF8.GetBytes(id.ToString()));
            var consumed = new ConsumeResult<byte[], byte[]>
            {
                Topic = originalTopic ?? Topic,
                Partition = new Partition(id % Partitions),
                Offset = new Offset(id),
                Message = new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes($"key-{id % 13}"),
                    Value = Encoding.UTF8.GetBytes($"order {id}"),
                    Headers = headers,
                    Timestamp = new Timestamp(DateTimeOffset.UtcNow.AddMinutes(-5)),
                },
            };
            var (failure, category) = failureOf(id);
            tasks.Add(publisher.PublishAsync(consumed, failure, category, attempts: category == FailureCategory.Transient ? 5 : 1));
        }

        await Task.WhenAll(tasks);
    }

    public List<ConsumeResult<byte[], byte[]>> Read(string topic) => TopicReader.ReadToEnd(Cluster.BootstrapServers, topic, Partitions);

    public static int IdOf(ConsumeResult<byte[], byte[]> message) => int.Parse(Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes("id")));

    /// <summary>How many records <paramref name="topic"/> holds (the sum of its partitions' high watermarks).</summary>
    public long CountOf(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, Partitions).Sum(partition => consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value);
    }

    public void Dispose() => Cluster.Dispose();
}

