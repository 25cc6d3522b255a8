using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Hosting;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Hosting;

public sealed class HostedDeadLetterGroupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_hosted_consumer_writes_its_group_into_dead_letters_of_a_publisher_registered_without_one()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("hosted-dlq-group", 1);
        var group = "hosted-dlq-" + Guid.NewGuid().ToString("N");
        kit.Produce(topic, [ConsumerTestKit.Message("k", "poison", "1")]);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(kit.Logs);
        builder.Services.AddSingleton<IDeadLetterSink>(_ => new KafkaDeadLetterPublisher(kit.BootstrapServers));
        builder.Services.AddReliableKafkaConsumer<string, string, RejectingHandler>(options =>
        {
            options.Consumer = kit.ConsumerConfig(group);
            options.Topics.Add(topic);
        });
        using var host = builder.Build();
        await host.StartAsync();

        List<ConsumeResult<byte[], byte[]>> deadLetters = [];
        await ConsumerTestKit.WaitUntil(() => (deadLetters = kit.ReadAll(topic + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, 1)).Count == 1, "the poison message is dead-lettered");
        await host.StopAsync().WaitAsync(ConsumerTestKit.Patience);

        Assert.Equal(group, DeadLetterMetadata.Read(deadLetters[0].Message.Headers).ConsumerGroup);
    }

    [Fact]
    public async Task A_group_set_on_the_publisher_is_kept_and_a_view_writes_its_own()
    {
        using var kit = new ConsumerTestKit(output);
        var topic = kit.CreateTopic("dlq-view", 1);
        var original = kit.Produce(topic, [ConsumerTestKit.Message("k", "v", "1")]).Single();
        var consumed = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = original,
            Message = ConsumerTestKit.Message("k", "v", "1"),
        };

        await using (var publisher = new KafkaDeadLetterPublisher(kit.BootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = "explicit" }))
        {
            var options = new Reliability.Consuming.ReliableConsumerOptions { Consumer = kit.ConsumerConfig("from-options") };
            Assert.Same(publisher, ReliableKafkaConsumerService<string, string, RejectingHandler>.WithConsumerGroup(publisher, options));
            await publisher.PublishAsync(consumed, new FormatException("first"));
            await publisher.ForConsumerGroup("view-group").PublishAsync(consumed, new FormatException("second"));
        }

        var groups = kit.ReadAll(topic + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, 1)
            .Select(deadLetter => DeadLetterMetadata.Read(deadLetter.Message.Headers).ConsumerGroup)
            .ToList();
        Assert.Equal(["explicit", "view-group"], groups);
    }

    internal sealed class RejectingHandler : IKafkaMessageHandler<string, string>
    {
        public Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken) =>
            throw new FormatException($"{message.TopicPartitionOffset} is not a valid order");
    }
}
