using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>Where failures go and how long to wait, for <see cref="DeliveryTrackingProducer{TKey,TValue}"/>. Set at least one of <see cref="OnDeliveryFailed"/> and <see cref="FallbackSink"/>.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class DeliveryTrackingOptions<TKey, TValue>
{
    /// <summary>
    /// Called once for every message whose delivery failed (or was unconfirmed at disposal), on the
    /// thread that serves delivery reports (the client's poll thread, or the one flushing it; both start
    /// with an empty execution context, so no caller's Activity or logging scope): keep it quick. If it throws, the failure goes to
    /// <see cref="FallbackSink"/>, or else counts as unhandled. It may produce the message again: a
    /// <c>Produce</c> from here never waits for queue room (a full queue hands the message to a background task
    /// that queues it, in order, as room frees; it is tracked from the call on). The re-sent message lands after
    /// those produced since, so only do it if that order is acceptable for its key (see the class remarks).
    /// Never block on a <c>ProduceAsync</c> task here.
    /// </summary>
    public Action<DeliveryFailure<TKey, TValue>>? OnDeliveryFailed { get; set; }

    /// <summary>Asynchronous storage for failures when <see cref="OnDeliveryFailed"/> is not set or throws.</summary>
    public IUndeliveredMessageSink<TKey, TValue>? FallbackSink { get; set; }

    /// <summary>Called once when the producer becomes fatal (from the client's error handler).</summary>
    public Action<Error>? OnFatalError { get; set; }

    /// <summary>How long disposal flushes before giving up on unconfirmed messages. Default 30 s.</summary>
    public TimeSpan DisposeFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a produce call waits for room when the local queue is full (<c>Local_QueueFull</c>) before throwing
    /// (the message is then not queued); 10 ms to 1 day. Default 60 s. A message produced from
    /// <see cref="OnDeliveryFailed"/> waits this long in the background instead, then fails to the handler.
    /// </summary>
    public TimeSpan QueueFullTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Start a producer activity per message and write its W3C trace context into the message headers. Default true.</summary>
    public bool PropagateTraceContext { get; set; } = true;

    /// <summary>Receives client errors, fatal errors, failures no handler accepted, handler exceptions and telemetry listener exceptions.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}
