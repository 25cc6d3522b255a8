namespace KafkaAnalyzers.Reliability.Producing;

/// <summary><see cref="DeliveryTrackingProducer{TKey,TValue}.FlushAsync"/> ran out of time with messages still unconfirmed.</summary>
public sealed class FlushTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stillQueued">Messages neither delivered nor failed yet.</param>
    /// <param name="timeout">How long the flush waited.</param>
    public FlushTimeoutException(int stillQueued, TimeSpan timeout)
        : base($"{stillQueued} message(s) were still neither delivered nor failed after flushing for {timeout}. They remain queued and will still be reported.")
    {
        StillQueued = stillQueued;
    }

    /// <summary>Messages neither delivered nor failed when the flush gave up.</summary>
    public int StillQueued { get; }
}
