namespace KafkaAnalyzers.Reliability.Producing;

// What the health check reads (Health/DeliveryTrackingProducerHealthCheck).
public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>Whether disposal has begun.</summary>
    internal bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>How long the oldest message still unconfirmed has waited; zero when none is pending. O(pending): for health checks, not the hot path.</summary>
    internal TimeSpan OldestUnconfirmedAge()
    {
        var oldest = TimeSpan.Zero;
        foreach (var delivery in pending.Values)
        {
            var age = delivery.Elapsed;
            if (age > oldest)
            {
                oldest = age;
            }
        }

        return oldest;
    }
}
