using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Testing;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class PoisonMessageTests(ITestOutputHelper output)
{
    private const int MessageCount = 2_000;
    private const int Partitions = 4;

    public sealed record Order(int Id, decimal Amount);

    [Fact]
    public async Task Poison_messages_are_dead_lettered_raw_while_every_valid_message_is_processed_and_offsets_reach_the_end()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("orders", Partitions);
        var group = "poison-" + Guid.NewGuid().ToString("N");

        // 1% poison, half malformed JSON, half bytes that are not even UTF-8.
        var random = new Random(20_241_122);
        var poison = new HashSet<int>();
        while (poison.Count < MessageCount / 100)
        {
            poison.Add(random.Next(MessageCount));
        }

        var messages = Enumerable.Range(0, MessageCount).Select(i => poison.Contains(i)
            ? ConsumerTestKit.Message($"customer-{i % 37}", i % 2 == 0 ? Encoding.UTF8.GetBytes($"{{\"Id\": {i}, \"Amount\": ") : [0xFF, 0xFE, 0x00, (byte)i], i.ToString())
            : ConsumerTestKit.Message($"customer-{i % 37}", $"{{\"Id\": {i}, \"Amount\": {i}.5}}", i.ToString())).ToList();
        var positions = kit.Produce(topic, messages);

        var processed = new ConcurrentDictionary<int, int>();
        var consumer = kit.Consumer<string, Order>(
            kit.Options(topic, group),
            (result, _) =>
            {
                processed.AddOrUpdate(result.Message.Value.Id, 1, (_, count) => count + 1);
                return Task.CompletedTask;
            },
            kit.DeadLetterPublisher(group),
            new SystemTextJsonDeserializer<Order>());

        // Faults while consuming: failed fetches and commits, and a broker bounce.
        kit.Cluster.PushRequestErrors(KafkaApi.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.UnknownTopicOrPart);
        kit.Cluster.PushRequestErrors(KafkaApi.OffsetCommit, ErrorCode.RequestTimedOut, ErrorCode.GroupCoordinatorNotAvailable);
        var started = DateTime.UtcNow;
        consumer.Start();
        await ConsumerTestKit.WaitUntil(() => processed.Count >= MessageCount / 4, "a quarter is processed", () => $"{processed.Count} processed");
        kit.Cluster.SetBrokerDown(2);
        await Task.Delay(1_000);
        kit.Cluster.SetBrokerUp(2);

        var ends = kit.EndOffsets(topic, Partitions);
        await ConsumerTestKit.WaitUntil(
            () => kit.CommittedOffsets(group, topic, Partitions).All(pair => pair.Value == ends[pair.Key]),
            "the committed offsets reach the end of every partition",
            () => $"{processed.Count} processed; committed {string.Join(", ", kit.CommittedOffsets(group, topic, Partitions))}; ends {string.Join(", ", ends)}");
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Assert.False(consumer.Completion.IsCompleted, "the loop must still be running");
        await consumer.StopAsync();
        await consumer.Completion;

        var valid = Enumerable.Range(0, MessageCount).Where(i => !poison.Contains(i)).ToHashSet();
        Assert.Equal(valid, processed.Keys.ToHashSet());

        // Every poison message is in the dead-letter topic, and nothing else is. A poison message can
        // appear twice: the delivery is at-least-once (a commit that failed under the injected
        // OffsetCommit errors or the broker bounce redelivers it), and librdkafka's mock cluster does
        // not de-duplicate an idempotent producer's resend after a broker drops a connection.
        var deadLetters = kit.ReadAll(topic + ".dlq", Partitions);
        var deadLetteredIds = deadLetters.Select(deadLetter => int.Parse(ConsumerTestKit.IdOf(deadLetter.Message.Headers))).ToList();
        Assert.Equal(poison.ToHashSet(), deadLetteredIds.ToHashSet());
        foreach (var deadLetter in deadLetters)
        {
            var id = int.Parse(ConsumerTestKit.IdOf(deadLetter.Message.Headers));
            Assert.Contains(id, poison);
            var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
            Assert.Equal(positions[id], metadata.OriginalTopicPartitionOffset);
            Assert.Equal(FailureCategory.Permanent, metadata.Category);
            Assert.Equal(1, metadata.Attempts);
            Assert.Equal(typeof(MessageDeserializationException).FullName, metadata.ExceptionType);
            Assert.Equal(group, metadata.ConsumerGroup);
            Assert.Equal(messages[id].Value, deadLetter.Message.Value);
            Assert.Equal(messages[id].Key, deadLetter.Message.Key);
        }

        output.WriteLine($"messages {MessageCount}, poison {poison.Count}, dead-lettered {deadLetteredIds.Distinct().Count()} (records {deadLetters.Count}), processed {processed.Count} " +
            $"(handler calls {processed.Values.Sum()}), {seconds:F1} s to commit the end");
    }
}
