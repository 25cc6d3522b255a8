using Confluent.Kafka;
using KafkaAnalyzers.Reliability.RetryTopics;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Xunit.Abstractions;
using static KafkaAnalyzers.Reliability.Tests.RetryTopics.RetryTopicKit;

namespace KafkaAnalyzers.Reliability.Tests.RetryTopics;

/// <summary>
/// A consumer that stops (or crashes) abandons its work through the thread pool, then stops its retry topics.
/// A handler that fails in between must see an abandonment, not a broken retry topic: the latter stops the
/// consumer with a fault (seen once in CI as "The retry topics were not started" after a simulated crash).
/// </summary>
public sealed class RetryTopicRouterStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_send_after_the_router_stopped_is_an_abandonment()
    {
        using var kit = new ConsumerTestKit(output);
        var (router, topic) = Router(kit);
        router.Start();
        router.Stop();

        Assert.True(router.Stopped);
        var thrown = await Assert.ThrowsAsync<OperationCanceledException>(() => Send(router, topic));
        Assert.Contains("consumed again", thrown.Message);
    }

    [Fact]
    public async Task A_send_to_a_router_that_never_started_is_still_a_bug()
    {
        using var kit = new ConsumerTestKit(output);
        var (router, topic) = Router(kit);

        Assert.False(router.Stopped);
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Send(router, topic));
        Assert.Contains("not started", thrown.Message);
    }

    private static (RetryTopicRouter Router, string Topic) Router(ConsumerTestKit kit)
    {
        var topic = kit.CreateTopic("router-stop", 1);
        kit.CreateTiers(topic, 1, tiers: 1);
        var group = "router-stop-" + Guid.NewGuid().ToString("N");
        var options = kit.Options(topic, group, options => options.UseRetryTopics(Ms(400)));
        return (new RetryTopicRouter(options, options.Consumer, group, ResiliencePipeline.Empty, NullLogger.Instance), topic);
    }

    private static Task Send(RetryTopicRouter router, string topic)
    {
        var message = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 5),
            Message = new Message<byte[], byte[]> { Key = [1], Value = [2], Timestamp = new Timestamp(DateTime.UtcNow), Headers = [] },
        };
        var position = new RetryPosition(message.TopicPartitionOffset, message.Message.Timestamp, 0, 1, null, null);
        return router.SendAsync(message, position, 1, new TimeoutException("bank timed out"), 1, CancellationToken.None);
    }
}
