using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>The consumer stops loudly rather than skip a message or spin on a broken client.</summary>
public sealed class ConsumerStopsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fatal_consumer_error_faults_completion_and_is_logged_critical()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("fenced", 1);
        var group = "fatal-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, Enumerable.Range(0, 10).Select(i => ConsumerTestKit.Message("k", $"v{i}", i.ToString())));
        var handled = 0;
        var options = kit.Options(topic, group, options => options.Consumer.GroupInstanceId = "static-member-1");
        var consumer = kit.Consumer<string, string>(options, (_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; }, kit.DeadLetterPublisher(group));

        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => Volatile.Read(ref handled) == 10, "the messages are handled");

        // Another instance with the same group.instance.id took over: the broker fences this one, which is fatal.
        kit.Cluster.PushRequestErrors(KafkaApi.Heartbeat, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId, ErrorCode.FencedInstanceId);
        var failure = await Assert.ThrowsAsync<KafkaException>(() => consumer.Completion.WaitAsync(ConsumerTestKit.Patience));

        Assert.True(failure.Error.IsFatal);
        Assert.Contains(kit.Logs.Entries, e => e.Level == LogLevel.Critical && e.EventId == 1114);
        output.WriteLine($"stopped with {failure.Error.Code}: {failure.Error.Reason}");
    }

    [Fact]
    public async Task Dead_letter_sink_failure_stops_the_consumer_without_storing_the_offset_and_a_restart_dead_letters_the_message()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("invoices", 1);
        var group = "sink-down-" + Guid.NewGuid().ToString("N");
        var positions = kit.Produce(topic, Enumerable.Range(0, 20).Select(i => ConsumerTestKit.Message("k", i == 7 ? "poison" : $"v{i}", i.ToString())));
        var handled = new ConcurrentDictionary<int, byte>();
        Task Handle(ConsumeResult<string, string> result, CancellationToken _)
        {
            var id = int.Parse(ConsumerTestKit.IdOf(result.Message.Headers));
            if (result.Message.Value == "poison")
            {
                throw new FormatException("not an invoice");
            }

            handled.TryAdd(id, 0);
            return Task.CompletedTask;
        }

        var brokenSink = new FailingSink();
        var first = kit.Consumer<string, string>(kit.Options(topic, group, o => o.DeadLetter.MaxAttempts = 3), Handle, brokenSink);
        first.Start();
        var failure = await Assert.ThrowsAsync<DeadLetterPublishException>(() => first.Completion.WaitAsync(ConsumerTestKit.Patience));

        Assert.Equal(positions[7], failure.Original);
        Assert.Equal(3, brokenSink.Calls);
        Assert.Contains(kit.Logs.Entries, e => e.Level == LogLevel.Critical && e.EventId == 1115);
        var committed = kit.CommittedOffsets(group, topic, 1).Single().Value;
        Assert.True(committed <= positions[7].Offset.Value, $"committed {committed}, past the message that was never dead-lettered ({positions[7].Offset})");

        var second = kit.Consumer<string, string>(kit.Options(topic, group), Handle, kit.DeadLetterPublisher(group));
        second.Start();
        await ConsumerTestKit.WaitUntil(() => kit.CommittedOffsets(group, topic, 1).Single().Value == 20, "the restarted consumer commits the end");
        await second.StopAsync();
        await second.Completion;

        var deadLetter = Assert.Single(kit.ReadAll(topic + ".dlq", 1));
        Assert.Equal(positions[7], DeadLetterMetadata.Read(deadLetter.Message.Headers).OriginalTopicPartitionOffset);
        Assert.Equal(19, handled.Count);
    }

    [Fact]
    public void Automatic_offset_store_is_refused_with_a_message_naming_the_setting()
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", AutoOffsetReset = AutoOffsetReset.Earliest },
            Topics = { "orders" },
        };

        var error = Assert.Throws<ArgumentException>(() => new ReliableConsumer<string, string>(options, (_, _) => Task.CompletedTask, new FailingSink()));

        Assert.Contains("enable.auto.offset.store", error.Message, StringComparison.Ordinal);
        Assert.Contains("EnableAutoOffsetStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_loop_settings_are_refused_each_by_name()
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoOffsetStore = false, AutoOffsetReset = AutoOffsetReset.Earliest },
            MaxConcurrency = 0,
        };
        options.Retry.MaxAttempts = 0;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(10);

        var error = Assert.Throws<ArgumentException>(() => new ReliableConsumer<string, string>(options, (_, _) => Task.CompletedTask, new FailingSink()));

        Assert.Contains("ReliableConsumerOptions.Topics", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReliableConsumerOptions.MaxConcurrency", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReliableConsumerOptions.Retry.MaxAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReliableConsumerOptions.CircuitBreaker.BreakDuration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("enable.auto.offset.store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_type_without_a_deserializer_is_refused_naming_the_parameter()
    {
        var options = new ReliableConsumerOptions
        {
            Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoOffsetStore = false, AutoOffsetReset = AutoOffsetReset.Earliest },
            Topics = { "orders" },
        };

        var error = Assert.Throws<ArgumentException>(() => new ReliableConsumer<string, Uri>(options, (_, _) => Task.CompletedTask, new FailingSink()));

        Assert.Equal("valueDeserializer", error.ParamName);
    }

    /// <summary>A dead-letter sink whose cluster is unreachable: every publish faults.</summary>
    private sealed class FailingSink : IDeadLetterSink
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public Task PublishAsync<TKey, TValue>(ConsumeResult<TKey, TValue> result, Exception exception, FailureCategory category = FailureCategory.Permanent, int attempts = 1, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref calls);
            return Task.FromException(new KafkaException(ErrorCode.Local_MsgTimedOut));
        }
    }
}
