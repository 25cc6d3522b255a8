namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// Marks the threads that are serving a <see cref="DeliveryTrackingProducer{TKey,TValue}"/> delivery report.
/// </summary>
/// <remarks>
/// librdkafka counts a message against <c>queue.buffering.max.messages</c> until its delivery report has been
/// served, and reports are served on the thread that runs the failure handler. A produce call made from that
/// handler while the queue is full would wait for room that only the blocked thread can free; so on a marked
/// thread the producers never wait: they hand the message off to be queued by another task. Not generic, so a
/// handler of one producer that produces through another one (of any key/value types) never waits either.
/// </remarks>
internal static class DeliveryReportThread
{
    [ThreadStatic]
    private static int depth;

    public static bool IsCurrent => depth > 0;

    public static void Enter() => depth++;

    public static void Exit() => depth--;
}
