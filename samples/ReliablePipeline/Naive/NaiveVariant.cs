using ReliablePipeline.Payments;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Naive;

/// <summary>Runs the naive order publisher and payment consumer in the scenario (harness glue, not part of the naive code).</summary>
internal sealed class NaiveVariant : IPipelineVariant
{
    private readonly ErrorCountingLogger logger = new();

    public string Name => "naive";

    public string Description =>
        "fire-and-forget: acks=1 without idempotence, Produce without a delivery handler, disposed without Flush; " +
        "auto-commit with processing on Task.Run, catch-and-log-and-continue, no idempotency key";

    public long ErrorsLogged => logger.Errors;

    public IOrderPublishing CreatePublisher(string bootstrapServers, RunNames topics, PipelineProbe probe) =>
        new Publishing(new NaiveOrderPublisher(bootstrapServers, topics.Orders));

    public IPaymentProcess StartPaymentService(string bootstrapServers, RunNames topics, PaymentClient payments, PipelineProbe probe) =>
        new Process(new NaivePaymentConsumer(bootstrapServers, topics.Group, topics.Orders, topics.Payments, payments, probe, logger), payments);

    // Task.Run work in flight is invisible to Kafka: caught up means everything was received and the gateway is idle.
    public bool IsCaughtUp(PipelineProbe probe, long records, PaymentClient payments) =>
        probe.ReceivedRecords >= records && payments.InFlight == 0;

    private sealed class Publishing(NaiveOrderPublisher publisher) : IOrderPublishing
    {
        public void Publish(string orderId, byte[] payload) => publisher.Publish(orderId, payload);

        public Task CompleteAsync(ProgressLog log)
        {
            publisher.Dispose();
            log.Note("naive publisher disposed (no Flush): whatever was still queued is gone, and nobody is told");
            return Task.CompletedTask;
        }
    }

    private sealed class Process : IPaymentProcess
    {
        private readonly CancellationTokenSource stop = new();
        private readonly PaymentClient payments;
        private readonly Task loop;

        public Process(NaivePaymentConsumer consumer, PaymentClient payments)
        {
            this.payments = payments;
            loop = Task.Factory.StartNew(() => consumer.Run(stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        public async Task CrashAsync()
        {
            // Its Task.Run work dies with it; then the loop ends and the consumer is disposed without Close (as the naive code always does).
            payments.Kill();
            await Task.Delay(100).ConfigureAwait(false);
            await StopAsync().ConfigureAwait(false);
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
