using KafkaAnalyzers.Reliability.Producing;
using ReliablePipeline.Payments;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Reliable;

/// <summary>Runs the library-based publisher and payment service in the scenario (harness glue).</summary>
/// <param name="retryTopics">Whether the payment service retries through retry topics instead of in memory.</param>
internal sealed class ReliableVariant(bool retryTopics = false) : IPipelineVariant
{
    public string Name => retryTopics ? "retry-topics" : "reliable";

    public string Description => retryTopics
        ? "the reliable pipeline with retry topics: a failed charge is not retried in memory but waits in orders.retry.1/2/3 " +
          $"({string.Join(", ", ReliablePaymentService.RetryTierDelays.Select(d => $"{d.TotalSeconds:0} s"))}) while the orders behind it flow; after the last tier, orders.dlq"
        : "KafkaAnalyzers.Reliability: KafkaPresets + DeliveryTrackingProducer (failures reported, flush on dispose); " +
          "ReliableConsumer with retries, circuit breaker, dead letters to orders.dlq; order id as idempotency key";

    public int RetryTierCount => retryTopics ? ReliablePaymentService.RetryTierDelays.Length : 0;

    public long ErrorsLogged => 0;

    public IOrderPublishing CreatePublisher(string bootstrapServers, RunNames topics, PipelineProbe probe) =>
        new Publishing(new ReliableOrderPublisher(bootstrapServers, topics.Orders, probe));

    public IPaymentProcess StartPaymentService(string bootstrapServers, RunNames topics, PaymentClient payments, PipelineProbe probe)
    {
        var service = new ReliablePaymentService(bootstrapServers, topics.Group, topics.Orders, topics.Payments, payments, probe, retryTopics);
        service.Start();
        return new Process(service);
    }

    // Every record ends handled or dead-lettered, and the probe sees both.
    public bool IsCaughtUp(PipelineProbe probe, long records, PaymentClient payments) => probe.SettledRecords >= records;

    private sealed class Publishing(ReliableOrderPublisher publisher) : IOrderPublishing
    {
        public void Publish(string orderId, byte[] payload) => publisher.Publish(orderId, payload);

        public async Task CompleteAsync(ProgressLog log)
        {
            log.Note("reliable publisher flushing before it is disposed (waits for the brokers)");
            try
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
                log.Note("reliable publisher flushed: every order confirmed by the cluster");
            }
            catch (UndeliveredMessagesException undelivered)
            {
                log.Note($"reliable publisher: {undelivered.UnconfirmedAtDisposal} order(s) unconfirmed at disposal, each reported to the caller");
            }
        }
    }

    private sealed class Process(ReliablePaymentService service) : IPaymentProcess
    {
        public Task CrashAsync() => service.CrashAsync();

        public Task StopAsync() => service.StopAsync();

        public ValueTask DisposeAsync() => service.DisposeAsync();
    }
}
