using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters;

public sealed class KafkaDeadLetterPublisherTests : IDisposable
{
    private static readonly DateTimeOffset FailedAt = new(2026, 11, 23, 6, 30, 0, TimeSpan.Zero);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Dead_letter_keeps_key_value_and_original_headers_and_adds_decodable_metadata()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("orders", partitions: 3);
        var original = ProduceAndConsume(topic, "customer-7"u8.ToArray(), "{\"amount\":12}"u8.ToArray(), partition: 2,
            new Headers { { "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8.ToArray() }, { "tenant", "acme"u8.ToArray() } });
        var failure = Throw(() => new FormatException("amount is not a decimal"));

        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, Options(group: "billing")))
        {
            await publisher.PublishAsync(original, failure, FailureCategory.Transient, attempts: 4);
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 3));
        Assert.Equal("customer-7"u8.ToArray(), deadLetter.Message.Key);
        Assert.Equal("{\"amount\":12}"u8.ToArray(), deadLetter.Message.Value);
        Assert.Equal(["traceparent", "tenant"], deadLetter.Message.Headers.Take(2).Select(h => h.Key));
        Assert.Equal("acme"u8.ToArray(), deadLetter.Message.Headers.GetLastBytes("tenant"));
        Assert.All(deadLetter.Message.Headers.Skip(2), header => Assert.StartsWith(DeadLetterHeaders.Prefix, header.Key));

        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        Assert.Equal(original.TopicPartitionOffset, metadata.OriginalTopicPartitionOffset);
        Assert.Equal(original.Message.Timestamp, metadata.OriginalTimestamp);
        Assert.Equal(typeof(FormatException).FullName, metadata.ExceptionType);
        Assert.Equal("amount is not a decimal", metadata.ExceptionMessage);
        Assert.Contains(nameof(Throw), metadata.ExceptionStackTrace);
        Assert.Equal(FailureCategory.Transient, metadata.Category);
        Assert.Equal(4, metadata.Attempts);
        Assert.Equal("billing", metadata.ConsumerGroup);
        Assert.Equal(FailedAt, metadata.FailedAt);
    }

    [Fact]
    public async Task Header_values_are_utf8_decimal_text()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("encoding");
        var original = ProduceAndConsume(topic, null, "v"u8.ToArray());
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, Options(group: "g")))
        {
            await publisher.PublishAsync(original, new InvalidOperationException("boom"));
        }

        var headers = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1)).Message.Headers;
        string Text(string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
        Assert.Equal(topic, Text(DeadLetterHeaders.OriginalTopic));
        Assert.Equal("0", Text(DeadLetterHeaders.OriginalPartition));
        Assert.Equal(original.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(DeadLetterHeaders.OriginalOffset));
        Assert.Equal(original.Message.Timestamp.UnixTimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(DeadLetterHeaders.OriginalTimestamp));
        Assert.Equal("CreateTime", Text(DeadLetterHeaders.OriginalTimestampType));
        Assert.Equal("Permanent", Text(DeadLetterHeaders.FailureCategory));
        Assert.Equal("1", Text(DeadLetterHeaders.Attempts));
        Assert.Equal(FailedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Text(DeadLetterHeaders.FailedAt));
    }

    [Fact]
    public async Task Consumer_group_header_is_absent_when_the_publisher_was_not_told_the_group()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("nogroup");
        var original = ProduceAndConsume(topic, null, "v"u8.ToArray());
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishAsync(original, new InvalidOperationException("boom"));
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.False(deadLetter.Message.Headers.TryGetLastBytes(DeadLetterHeaders.ConsumerGroup, out _));
        Assert.Null(DeadLetterMetadata.Read(deadLetter.Message.Headers).ConsumerGroup);
    }

    [Fact]
    public async Task Dead_letters_of_one_key_land_in_one_partition_in_order()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("keyed", partitions: 4, deadLetterPartitions: 6);
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            for (var i = 0; i < 20; i++)
            {
                var original = new ConsumeResult<string, int>
                {
                    TopicPartitionOffset = new TopicPartitionOffset(topic, i % 4, i),
                    Message = new Message<string, int> { Key = "key-" + (i % 3), Value = i, Timestamp = new Timestamp(1_700_000_000_000 + i, TimestampType.CreateTime) },
                };
                await publisher.PublishAsync(original, new InvalidOperationException("failed " + i));
            }
        }

        var byKey = TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 6)
            .GroupBy(result => Deserializers.Utf8.Deserialize(result.Message.Key, false, SerializationContext.Empty))
            .ToDictionary(group => group.Key, group => group.ToList());
        Assert.Equal(3, byKey.Count);
        foreach (var deadLetters in byKey.Values)
        {
            Assert.Single(deadLetters.Select(result => result.Partition.Value).Distinct());
            var values = deadLetters.OrderBy(result => result.Offset.Value).Select(result => Deserializers.Int32.Deserialize(result.Message.Value, false, SerializationContext.Empty)).ToList();
            Assert.Equal(values.Order(), values);
        }
    }

    [Fact]
    public async Task Typed_key_and_value_are_serialized_back_with_builtin_serializers()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("typed");
        var original = new ConsumeResult<string, long>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 41),
            Message = new Message<string, long> { Key = "k€y", Value = 1234567890123L, Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
        };
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishAsync(original, new InvalidOperationException("boom"));
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.Equal("k€y", Deserializers.Utf8.Deserialize(deadLetter.Message.Key, false, SerializationContext.Empty));
        Assert.Equal(1234567890123L, Deserializers.Int64.Deserialize(deadLetter.Message.Value, false, SerializationContext.Empty));
        Assert.Equal(41, DeadLetterMetadata.Read(deadLetter.Message.Headers).OriginalOffset);
    }

    [Fact]
    public async Task Registered_serializer_is_used_with_the_original_topic_in_its_context()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("custom");
        var serializer = new OrderSerializer();
        var options = Options();
        options.ValueSerializers.Add(serializer);
        var original = new ConsumeResult<Null, Order>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 0),
            Message = new Message<Null, Order> { Value = new Order(42), Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
        };
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, options))
        {
            await publisher.PublishAsync(original, new InvalidOperationException("boom"));
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.Equal("order:42"u8.ToArray(), deadLetter.Message.Value);
        Assert.Null(deadLetter.Message.Key);
        Assert.Equal(topic, serializer.SeenTopic);
        Assert.Equal(MessageComponentType.Value, serializer.SeenComponent);
    }

    [Fact]
    public async Task Type_without_serializer_faults_the_task_naming_the_type_and_the_fix()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("unsupported");
        var original = new ConsumeResult<string, Order>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 0),
            Message = new Message<string, Order> { Key = "k", Value = new Order(1), Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
        };
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")));

        var cause = Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains(typeof(Order).FullName!, cause.Message);
        Assert.Contains("ValueSerializers.Add<Order>", cause.Message);
        Assert.Equal(original.TopicPartitionOffset, failure.Original);
        Assert.False(failure.MayHaveBeenWritten);
    }

    [Fact]
    public async Task Undeserializable_message_is_dead_lettered_with_its_raw_bytes()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("raw");
        ProduceRaw(topic, "k"u8.ToArray(), [0x01, 0x02, 0x03], partition: 0);
        using var consumer = new ConsumerBuilder<string, int>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "raw", EnableAutoCommit = false })
            .SetValueDeserializer(Deserializers.Int32)
            .Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var consumeFailure = Assert.Throws<ConsumeException>(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
        });

        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishUndeserializableAsync(consumeFailure);
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.Equal("k"u8.ToArray(), deadLetter.Message.Key);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03 }, deadLetter.Message.Value);
        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        Assert.Equal(typeof(ConsumeException).FullName, metadata.ExceptionType);
        Assert.Equal(FailureCategory.Permanent, metadata.Category);
        Assert.Equal(new TopicPartitionOffset(topic, 0, 0), metadata.OriginalTopicPartitionOffset);
    }

    [Fact]
    public async Task Consume_exception_without_a_message_is_refused()
    {
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);
        var notDeserialization = new ConsumeException(null, new Error(ErrorCode.Local_Transport, "broker gone"));

        var refusal = Assert.Throws<ArgumentException>(() => { _ = publisher.PublishUndeserializableAsync(notDeserialization); });

        Assert.Contains("Local_Transport", refusal.Message);
    }

    [Fact]
    public void Unsafe_producer_configuration_is_refused()
    {
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        config.Set("request.required.acks", "1");

        var refusal = Assert.Throws<KafkaConfigurationException>(() => new KafkaDeadLetterPublisher(config));

        Assert.Contains("request.required.acks (ProducerConfig.Acks) is 1", refusal.Message);
    }

    [Fact]
    public async Task Topic_selector_returning_the_original_topic_faults_the_task()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("loop");
        var original = ProduceAndConsume(topic, null, "v"u8.ToArray());
        var options = Options();
        options.DeadLetterTopic = t => t;
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, options);

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")));

        Assert.Contains("must name a different, non-empty topic", failure.Message);
    }

    private ConsumeResult<byte[], byte[]> ProduceAndConsume(string topic, byte[]? key, byte[] value, int partition = 0, Headers? headers = null)
    {
        ProduceRaw(topic, key, value, partition, headers);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "orig", EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, Offset.Beginning));
        for (var i = 0; i < 300; i++)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null)
            {
                return result;
            }
        }

        throw new TimeoutException("The original message was not consumed.");
    }

    private void ProduceRaw(string topic, byte[]? key, byte[] value, int partition, Headers? headers = null)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaPresets.CriticalProducer(cluster.BootstrapServers)).Build();
        producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = key!, Value = value, Headers = headers }).GetAwaiter().GetResult();
    }

    private static KafkaDeadLetterPublisherOptions Options(string? group = null) => new()
    {
        ConsumerGroupId = group,
        TimeProvider = new FixedTimeProvider(FailedAt),
    };

    private static Exception Throw(Func<Exception> create)
    {
        try
        {
            throw create();
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed record Order(int Id);

    private sealed class OrderSerializer : ISerializer<Order>
    {
        public string? SeenTopic { get; private set; }

        public MessageComponentType? SeenComponent { get; private set; }

        public byte[] Serialize(Order data, SerializationContext context)
        {
            SeenTopic = context.Topic;
            SeenComponent = context.Component;
            return Encoding.UTF8.GetBytes("order:" + data.Id);
        }
    }
}
