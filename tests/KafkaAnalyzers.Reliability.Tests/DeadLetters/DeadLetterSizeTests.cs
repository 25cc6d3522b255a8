using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters;

/// <summary>A dead letter never exceeds message.max.bytes: the exception text is cut, stack trace first.</summary>
public sealed class DeadLetterSizeTests : IDisposable
{
    private const int MessageMaxBytes = 1_000_000;
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Huge_stack_trace_is_cut_and_the_message_kept_when_the_value_is_near_the_limit()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("huge");
        var original = Original(topic, valueBytes: 900_000);
        var exception = new InvalidOperationException("message " + new string('m', 60_000), new Exception("inner " + new string('s', 3_000_000)));
        AssertTooLargeWithoutTruncation(original, exception);

        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishAsync(original, exception);
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.Equal(original.Message.Value, deadLetter.Message.Value);
        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        Assert.Equal(exception.Message, metadata.ExceptionMessage);
        Assert.EndsWith(DeadLetterHeaders.TruncationMarker, metadata.ExceptionStackTrace);
        Assert.StartsWith(exception.ToString()[..1000], metadata.ExceptionStackTrace);
        Assert.True(metadata.ExceptionStackTrace.Length > 30_000, $"the stack trace was cut more than needed: {metadata.ExceptionStackTrace.Length} chars left");
        AssertWithinLimit(deadLetter.Message);
    }

    [Fact]
    public async Task Message_is_cut_after_the_stack_trace_is_gone()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("tight");
        var original = Original(topic, valueBytes: 990_000);
        var exception = new InvalidOperationException("message " + new string('m', 60_000));

        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishAsync(original, exception);
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        Assert.Equal("", metadata.ExceptionStackTrace);
        Assert.StartsWith("message mmmm", metadata.ExceptionMessage);
        Assert.EndsWith(DeadLetterHeaders.TruncationMarker, metadata.ExceptionMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, metadata.ExceptionType);
        AssertWithinLimit(deadLetter.Message);
    }

    [Fact]
    public async Task Dead_letter_that_cannot_fit_even_without_exception_text_faults_the_task()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("nofit");
        var original = Original(topic, valueBytes: MessageMaxBytes - 100);
        await using var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers);

        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(original, new InvalidOperationException("boom")));

        Assert.Contains("without any exception text", failure.Message);
        Assert.False(failure.MayHaveBeenWritten);
    }

    [Fact]
    public async Task Lower_configured_limit_is_honoured()
    {
        var topic = cluster.CreateTopicWithDeadLetterTopic("lower");
        var original = Original(topic, valueBytes: 10_000);
        var options = new KafkaDeadLetterPublisherOptions { MaxMessageBytes = 20_000 };

        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers, options))
        {
            await publisher.PublishAsync(original, new InvalidOperationException(new string('x', 50_000)));
        }

        var deadLetter = Assert.Single(TopicReader.ReadToEnd(cluster.BootstrapServers, topic + ".dlq", 1));
        Assert.True(DeadLetterMessageFactory.EstimateSize(deadLetter.Message.Key, deadLetter.Message.Value, deadLetter.Message.Headers) <= 20_000 - DeadLetterMessageFactory.BatchMarginBytes);
    }

    [Theory]
    [InlineData("abcdef", 100, "abcdef")]
    [InlineData("€€€€€€€€€€", 20, "€€…[truncated]")]
    [InlineData("a€€€€€€€€€", 20, "a€…[truncated]")]
    [InlineData("ab€€€€€€€€", 20, "ab€…[truncated]")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 10, "")]
    public void Truncation_cuts_on_a_character_boundary_and_marks_the_cut(string text, int maxBytes, string expected)
    {
        var cut = DeadLetterMessageFactory.Truncate(Encoding.UTF8.GetBytes(text), maxBytes);

        Assert.True(cut.Length <= maxBytes);
        Assert.Equal(expected, Encoding.UTF8.GetString(cut));
    }

    private static void AssertWithinLimit(Message<byte[], byte[]> deadLetter) =>
        Assert.True(DeadLetterMessageFactory.EstimateSize(deadLetter.Key, deadLetter.Value, deadLetter.Headers) <= MessageMaxBytes - DeadLetterMessageFactory.BatchMarginBytes);

    /// <summary>Shows the bound matters: the same dead letter without truncation is refused by the producer.</summary>
    private void AssertTooLargeWithoutTruncation(ConsumeResult<byte[], byte[]> original, Exception exception)
    {
        var failure = new DeadLetterFailure(original.TopicPartitionOffset, original.Message.Timestamp, exception, FailureCategory.Permanent, 1, null, DateTimeOffset.UtcNow);
        var untruncated = DeadLetterMessageFactory.Create(original.Message.Key, original.Message.Value, original.Message.Headers, failure, int.MaxValue);
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaPresets.CriticalProducer(cluster.BootstrapServers)).Build();
        var refusal = Assert.Throws<ProduceException<byte[], byte[]>>(() => producer.Produce(original.Topic + ".dlq", untruncated, _ => { }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, refusal.Error.Code);
    }

    private static ConsumeResult<byte[], byte[]> Original(string topic, int valueBytes) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 3),
        Message = new Message<byte[], byte[]>
        {
            Key = "key"u8.ToArray(),
            Value = Enumerable.Range(0, valueBytes).Select(i => (byte)i).ToArray(),
            Headers = new Headers { { "origin", "web"u8.ToArray() } },
            Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime),
        },
    };
}
