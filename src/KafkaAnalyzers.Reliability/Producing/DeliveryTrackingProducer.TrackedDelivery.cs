using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Producing;

public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>One produced message from the produce call to its outcome.</summary>
    private sealed class TrackedDelivery
    {
        private const int NotAccepted = 0;
        private const int HandedOff = 1;
        private const int InClient = 2;

        private readonly DeliveryTrackingProducer<TKey, TValue> owner;
        private readonly Action<DeliveryReport<TKey, TValue>> reportHandler;
        private readonly long startedAt = Stopwatch.GetTimestamp();
        private Activity? activity;
        private int state;
        private int completed;
        private int dispatched;
        private int callerStoppedWaiting;
        private DeliveryFailure<TKey, TValue>? failure;

        public TrackedDelivery(DeliveryTrackingProducer<TKey, TValue> owner, TopicPartition topicPartition, Message<TKey, TValue> message, bool awaited)
        {
            this.owner = owner;
            TopicPartition = topicPartition;
            Message = message;
            reportHandler = OnReport;
            if (awaited)
            {
                Completion = new TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        /// <summary>Links of the pending list (<see cref="PendingDeliveries"/>), read and written under its lock.</summary>
        public TrackedDelivery? Older { get; set; }

        /// <inheritdoc cref="Older"/>
        public TrackedDelivery? Newer { get; set; }

        /// <summary>Whether the delivery is in the pending list (under its lock).</summary>
        public bool IsPending { get; set; }

        public TopicPartition TopicPartition { get; }

        public Message<TKey, TValue> Message { get; }

        /// <summary>Set for <c>ProduceAsync</c>: the caller awaits it.</summary>
        public TaskCompletionSource<DeliveryResult<TKey, TValue>>? Completion { get; }

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startedAt);

        /// <summary>
        /// Whether this class took responsibility for the message: librdkafka queued it, or it was handed off
        /// to be queued later. From then on its outcome is tracked, whatever the produce call throws.
        /// </summary>
        public bool IsAccepted => Volatile.Read(ref state) != NotAccepted;

        /// <summary>Whether librdkafka has the message (so it may have been sent).</summary>
        public bool IsInClient => Volatile.Read(ref state) == InClient;

        /// <summary>Gives the message to librdkafka; throws what <c>Produce</c> throws (<c>Local_QueueFull</c> included).</summary>
        public void Enqueue()
        {
            owner.producer.Produce(TopicPartition, Message, reportHandler);
            Volatile.Write(ref state, InClient);
        }

        /// <returns>False when librdkafka's queue is full; other refusals are thrown.</returns>
        public bool TryEnqueue()
        {
            try
            {
                Enqueue();
                return true;
            }
            catch (ProduceException<TKey, TValue> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
            {
                return false;
            }
        }

        public void MarkHandedOff() => Volatile.Write(ref state, HandedOff);

        /// <summary>Set when librdkafka refused the message at once inside a failure handler: the hand-off task fails it.</summary>
        public Error? DeferredRefusal { get; private set; }

        public void DeferRefusal(Error refusal)
        {
            DeferredRefusal = refusal;
            MarkHandedOff();
        }

        public bool TryClaimCompletion() => Interlocked.Exchange(ref completed, 1) == 0;

        /// <summary>
        /// Starts the producer span (without making it current for the caller) and writes the trace context into
        /// the headers. A listener that throws costs the span, never the message.
        /// </summary>
        public void StartActivity()
        {
            var previous = Activity.Current;

            // Without a listener there is no span to start: the caller's context (if any) is propagated as is,
            // and the span name is not even formatted (a string per message otherwise).
            if (ReliabilityTelemetry.ActivitySource.HasListeners())
            {
                try
                {
                    activity = ReliabilityTelemetry.ActivitySource.StartActivity($"send {TopicPartition.Topic}", ActivityKind.Producer);
                }
                catch (Exception listenerFailure)
                {
                    owner.TelemetryFailed(listenerFailure, "starting the producer span");
                    return;
                }
                finally
                {
                    Activity.Current = previous;
                }
            }

            var context = activity ?? previous;
            if (context is null)
            {
                return;
            }

            activity?.SetTag("messaging.system", "kafka");
            activity?.SetTag("messaging.operation.type", "send");
            activity?.SetTag(ReliabilityInstruments.TopicTag, TopicPartition.Topic);
            Message.Headers ??= [];
            TraceContextPropagation.Inject(Message.Headers, context);
        }

        /// <summary>Stops the span; never throws (a listener's failure is logged).</summary>
        public void EndActivity(ActivityStatusCode status, string? description)
        {
            if (activity is null)
            {
                return;
            }

            // Stop() makes the span's parent current on the calling thread (the client's poll thread here);
            // keep that thread's context as it was so handlers running there see no stale activity.
            var current = Activity.Current;
            try
            {
                activity.SetStatus(status, description);
                activity.Stop();
            }
            catch (Exception listenerFailure)
            {
                owner.TelemetryFailed(listenerFailure, "stopping the producer span");
            }
            finally
            {
                Activity.Current = current;
            }
        }

        /// <summary>Fails an awaited delivery: the caller gets the exception, or the handler gets the failure if the caller stopped waiting.</summary>
        public void Fail(DeliveryFailure<TKey, TValue> deliveryFailure)
        {
            Interlocked.Exchange(ref failure, deliveryFailure);
            Completion!.TrySetException(new DeliveryFailedException<TKey, TValue>(deliveryFailure));
            if (Volatile.Read(ref callerStoppedWaiting) != 0)
            {
                DispatchOnce(deliveryFailure);
            }
        }

        /// <summary>The <c>ProduceAsync</c> caller cancelled its wait: a failure, now or later, goes to the handler instead.</summary>
        public void StopWaiting()
        {
            Interlocked.Exchange(ref callerStoppedWaiting, 1);
            if (Volatile.Read(ref failure) is { } known)
            {
                DispatchOnce(known);
            }
        }

        private void DispatchOnce(DeliveryFailure<TKey, TValue> deliveryFailure)
        {
            if (Interlocked.Exchange(ref dispatched, 1) == 0)
            {
                owner.Dispatch(deliveryFailure);
            }
        }

        /// <summary>
        /// Runs on the thread serving delivery reports (the client's poll thread or a flushing one); an exception
        /// escaping here would only reach the error handler, so none does. Produce calls made from here (by the
        /// failure handler) never wait for queue room: see <see cref="DeliveryReportThread"/>.
        /// </summary>
        private void OnReport(DeliveryReport<TKey, TValue> report)
        {
            DeliveryReportThread.Enter();
            try
            {
                owner.Complete(this, report.Error, report.Status, report.Partition, report);
            }
            catch (Exception bug)
            {
                owner.HandlerFailed(bug, "delivery report handling");
            }
            finally
            {
                DeliveryReportThread.Exit();
            }
        }
    }
}
