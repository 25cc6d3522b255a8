using System.Collections.Concurrent;
using KafkaAnalyzers.Reliability.Producing;

namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>Collects what a delivery-tracking producer hands to its failure handler.</summary>
internal sealed class FailureRecorder<TKey, TValue>
{
    private readonly ConcurrentQueue<DeliveryFailure<TKey, TValue>> failures = new();

    public IReadOnlyList<DeliveryFailure<TKey, TValue>> Failures => [.. failures];

    public void Record(DeliveryFailure<TKey, TValue> failure) => failures.Enqueue(failure);

    public DeliveryTrackingOptions<TKey, TValue> Options(TimeSpan? disposeFlushTimeout = null) => new()
    {
        OnDeliveryFailed = Record,
        DisposeFlushTimeout = disposeFlushTimeout ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>Waits (generously) until <paramref name="count"/> failures have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (failures.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {failures.Count} of {count} failures arrived.");
            }

            await Task.Delay(20);
        }
    }
}
