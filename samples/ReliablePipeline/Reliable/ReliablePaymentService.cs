using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.RetryTopics;
using ReliablePipeline.Orders;
using ReliablePipeline.Payments;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Reliable;

/// <summary>
/// The payment consumer built on the library: a <see cref="ReliableConsumer{TKey,TValue}"/> (offsets stored only
/// after the charge and its result are done, retries with backoff, a circuit breaker that pauses the partitions,
/// poison and refused orders dead-lettered to <c>orders.dlq</c>), a <see cref="DeliveryTrackingProducer{TKey,TValue}"/>
/// for the results, and the order id as the gateway's idempotency key, so that a redelivered order is not charged twice.
/// With retry topics, a failed charge waits in <c>orders.retry.1</c>, <c>.2</c>, <c>.3</c> instead of in memory, so the
/// orders behind it keep flowing.
/// </summary>
public sealed class ReliablePaymentService : IAsyncDisposable
{
    private readonly ReliableConsumer<string, Order> consumer;
    private readonly DeliveryTrackingProducer<string, string> results;
    private readonly KafkaDeadLetterPublisher deadLetters;
    private readonly PaymentClient payments;
    private readonly string paymentsTopic;
    private readonly string ordersTopic;
    private readonly PipelineProbe probe;
    private readonly object producersLock = new();
    private Task? producersDisposed;

    /// <summary>The delays of the retry tiers when retry topics are on: each failed charge waits this long in its tier.</summary>
    public static readonly TimeSpan[] RetryTierDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>Creates the service; <see cref="Start"/> starts consuming.</summary>
    /// <param name="retryTopics">Use retry topics: no retry in memory, the tiers of <see cref="RetryTierDelays"/> instead.</param>
    public ReliablePaymentService(string bootstrapServers, string groupId, string ordersTopic, string paymentsTopic, PaymentClient payments, PipelineProbe probe, bool retryTopics = false)
    {
        this.payments = payments;
        this.ordersTopic = ordersTopic;
        this.paymentsTopic = paymentsTopic;
        this.probe = probe;

        var consumerConfig = KafkaPresets.AtLeastOnceConsumer(bootstrapServers, groupId);
        consumerConfig.SessionTimeoutMs = 3000;
        consumerConfig.HeartbeatIntervalMs = 1000;
        var options = new ReliableConsumerOptions
        {
            Consumer = consumerConfig,
            Topics = { ordersTopic },
            MaxConcurrency = PaymentClient.Connections,
            Retry = { MaxAttempts = 6, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) },
            CircuitBreaker = { MinimumThroughput = 10, FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(2), BreakDuration = TimeSpan.FromSeconds(1) },
        };
        if (retryTopics)
        {
            // A failed charge moves at once to orders.retry.1 (due 1 s later), then .2 (2 s), .3 (4 s), then orders.dlq.
            options.Retry.MaxAttempts = 1;
            options.RetryTopics.Enabled = true;
            options.RetryTopics.Delays = RetryTierDelays;
        }

        deadLetters = new KafkaDeadLetterPublisher(bootstrapServers, new KafkaDeadLetterPublisherOptions { ConsumerGroupId = groupId });
        results = new DeliveryTrackingProducer<string, string>(
            KafkaPresets.CriticalProducer(bootstrapServers),
            new DeliveryTrackingOptions<string, string>
            {
                // Results are awaited by the handler, so a failure reaches it there; this catches the rest.
                OnDeliveryFailed = failure => probe.PublishFailed("result:" + failure.Message.Key, failure.Error.Reason),
            });
        consumer = new ReliableConsumer<string, Order>(
            options,
            HandleAsync,
            new ProbedDeadLetterSink(deadLetters, probe),
            valueDeserializer: new SystemTextJsonDeserializer<Order>(Order.Json));
    }

    /// <summary>Joins the group and starts consuming.</summary>
    public void Start() => consumer.Start();

    /// <summary>Graceful stop: drains in-flight orders, commits, closes, then flushes and disposes the producers.</summary>
    public async Task StopAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await consumer.StopAsync(deadline.Token).ConfigureAwait(false);
        await DisposeProducersAsync().ConfigureAwait(false);
        await consumer.Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// The process dies: gateway responses never come back, the consumer stops without committing or closing.
    /// A dead process's producers vanish with it; here they are disposed in the background, so the restart
    /// does not wait for their flush (<see cref="DisposeAsync"/> waits for it).
    /// </summary>
    public async Task CrashAsync()
    {
        payments.Kill();
        await SimulatedCrash.KillAsync(consumer).ConfigureAwait(false);
        _ = DisposeProducersAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await consumer.DisposeAsync().ConfigureAwait(false);
        await DisposeProducersAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(ConsumeResult<string, Order> message, CancellationToken cancellationToken)
    {
        var order = message.Message.Value ?? throw new ValidationException($"{message.TopicPartitionOffset} carries no order.");

        // A message from a retry topic stands for the orders record it came from (its retry headers say which).
        var position = message.TopicPartitionOffset;
        RetryMetadata? retry = null;
        var fromRetryTopic = message.Topic != ordersTopic && RetryMetadata.TryRead(message.Message.Headers, out retry, out _);
        if (fromRetryTopic)
        {
            position = retry!.OriginalTopicPartitionOffset;
            probe.ReceivedFromRetryTopic(order.OrderId, position);
        }
        else
        {
            probe.Received(order.OrderId, position, message);
        }

        // The order id is the idempotency key: a redelivered order returns the first charge instead of charging again.
        var receipt = await payments.ChargeAsync(order, idempotencyKey: order.OrderId, cancellationToken).ConfigureAwait(false);
        await results.ProduceAsync(paymentsTopic, new Message<string, string> { Key = order.OrderId, Value = JsonSerializer.Serialize(receipt, Order.Json) }, cancellationToken).ConfigureAwait(false);
        probe.Settled(position);
        if (fromRetryTopic)
        {
            probe.Recovered(order.OrderId);
        }
    }

    private Task DisposeProducersAsync()
    {
        lock (producersLock)
        {
            return producersDisposed ??= Task.Run(DisposeProducersOnceAsync);
        }
    }

    private async Task DisposeProducersOnceAsync()
    {
        try
        {
            await results.DisposeAsync().ConfigureAwait(false);
        }
        catch (UndeliveredMessagesException)
        {
            // Each unconfirmed result also faulted the handler awaiting it: that order was not stored and comes again.
        }

        await deadLetters.DisposeAsync().ConfigureAwait(false);
    }
}
