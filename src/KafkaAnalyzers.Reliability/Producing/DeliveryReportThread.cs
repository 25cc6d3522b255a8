namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// Marks the threads that are serving a <see cref="DeliveryTrackingProducer{TKey,TValue}"/> delivery report, and
/// those running a failure handler.
/// </summary>
/// <remarks>
/// librdkafka counts a message against <c>queue.buffering.max.messages</c> until its delivery report has been
/// served, and reports are served on the thread that runs the failure handler. A produce call made from that
/// handler while the queue is full would wait for room that only the blocked thread can free; so on a report
/// thread the producers never wait: they hand the message off to be queued by another task. And a message that
/// librdkafka refuses at once while a failure handler runs is failed from that task too, not from within the
/// handler, so a handler that keeps re-producing such a message loops instead of recursing until the stack
/// overflows. Not generic, so a handler of one producer that produces through another one (of any key/value
/// types) is covered as well.
/// </remarks>
internal static class DeliveryReportThread
{
    [ThreadStatic]
    private static int reportDepth;

    [ThreadStatic]
    private static int handlerDepth;

    /// <summary>Whether this thread is serving a delivery report.</summary>
    public static bool IsCurrent => reportDepth > 0;

    /// <summary>Whether this thread is running a failure handler (on a report thread or not).</summary>
    public static bool InFailureHandler => handlerDepth > 0;

    public static void Enter() => reportDepth++;

    public static void Exit() => reportDepth--;

    public static void EnterHandler() => handlerDepth++;

    public static void ExitHandler() => handlerDepth--;
}
