namespace KafkaAnalyzers.Reliability.Producing;

// What the health check (Health/DeliveryTrackingProducerHealthCheck) and tests read.
public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>Whether disposal has begun.</summary>
    internal bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>How long the oldest message still unconfirmed has waited; zero when none is pending.</summary>
    internal TimeSpan OldestUnconfirmedAge() => pending.OldestAge();

    /// <summary>How many produce calls were tracked with a recycled delivery (for tests).</summary>
    internal long ReusedDeliveries => pending.Reused;
}
