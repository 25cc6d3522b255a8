using ReliablePipeline.Payments;

namespace ReliablePipeline.Scenario;

/// <summary>One implementation of the order pipeline that the scenario runs: naive or reliable.</summary>
internal interface IPipelineVariant
{
    /// <summary>"naive", "reliable" or "retry-topics".</summary>
    string Name { get; }

    /// <summary>Retry tiers of the orders topic the variant consumes (created with the run's topics).</summary>
    int RetryTierCount => 0;

    /// <summary>One line on how it is built.</summary>
    string Description { get; }

    /// <summary>Errors the implementation logged and moved on from (only the naive one does).</summary>
    long ErrorsLogged { get; }

    IOrderPublishing CreatePublisher(string bootstrapServers, RunNames topics, PipelineProbe probe);

    IPaymentProcess StartPaymentService(string bootstrapServers, RunNames topics, PaymentClient payments, PipelineProbe probe);

    /// <summary>Whether the consumer has dealt with all <paramref name="records"/> records of the orders topic.</summary>
    bool IsCaughtUp(PipelineProbe probe, long records, PaymentClient payments);
}

/// <summary>The order service's publishing side.</summary>
internal interface IOrderPublishing
{
    void Publish(string orderId, byte[] payload);

    /// <summary>The order service shuts down.</summary>
    Task CompleteAsync(ProgressLog log);
}

/// <summary>One running process of the payment service. Disposing a crashed process releases what it left behind.</summary>
internal interface IPaymentProcess : IAsyncDisposable
{
    /// <summary>The process dies without shutting down cleanly.</summary>
    Task CrashAsync();

    /// <summary>The process is shut down normally.</summary>
    Task StopAsync();
}
