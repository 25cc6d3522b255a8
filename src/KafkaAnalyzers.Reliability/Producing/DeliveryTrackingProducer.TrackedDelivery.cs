using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Producing;

public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>
    /// One produced message from the produce call to its outcome. It is also the target of the delivery-report
    /// delegate Confluent.Kafka's <c>Produce</c> takes (bound once, in the constructor), and a list node of
    /// <see cref="PendingDeliveries"/>; so tracking a <c>Produce</c> allocates nothing when a recycled one is
    /// available (see <see cref="PendingDeliveries"/> for when one is reused).
    /// </summary>
    private sealed class TrackedDelivery
    {
        private const int NotAccepted = 0;
        private const int HandedOff = 1;
        private const int InClient = 2;

        private readonly DeliveryTrackingProducer<TKey, TValue> owner;
        private readonly Action<DeliveryReport<TKey, TValue>> reportHandler;
        private TopicPartition? destination;
        private Activity? activity;
        private long startedAt;
        private int state;
        private int completed;
        private int holds;

        public TrackedDelivery(DeliveryTrackingProducer<TKey, TValue> owner, bool pooled)
        {
            this.owner = owner;
            Pooled = pooled;
            reportHandler = OnReport;
            Topic = string.Empty;
            Message = null!;
        }

        /// <summary>Whether it goes back to the pool once both its holders released it (see <see cref="Release"/>).</summary>
        public bool Pooled { get; }

        /// <summary>Links of the pending list (<see cref="PendingDeliveries"/>), read and written under its lock; <see cref="Newer"/> also links the pool's free lists.</summary>
        public TrackedDelivery? Older { get; set; }

        /// <inheritdoc cref="Older"/>
        public TrackedDelivery? Newer { get; set; }

        /// <summary>Whether the delivery is in the pending list (under its lock).</summary>
        public bool IsPending { get; set; }

        public string Topic { get; private set; }

        /// <summary>The partition asked for (<see cref="Partition.Any"/> unless the caller chose one).</summary>
        public Partition Partition { get; private set; }

        public Message<TKey, TValue> Message { get; private set; }

        /// <summary>Set for <c>ProduceAsync</c>: the caller awaits it.</summary>
        public AwaitedOutcome? Awaited { get; private set; }

        /// <summary><see cref="Stopwatch"/> timestamp of the produce call.</summary>
        public long StartedAt => startedAt;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startedAt);

        /// <summary>The destination as a <see cref="Confluent.Kafka.TopicPartition"/> (the caller's when it gave one).</summary>
        public TopicPartition TopicPartition => destination ?? new TopicPartition(Topic, Partition);

        /// <summary>
        /// Whether this class took responsibility for the message: librdkafka queued it, or it was handed off
        /// to be queued later. From then on its outcome is tracked, whatever the produce call throws.
        /// </summary>
        public bool IsAccepted => Volatile.Read(ref state) != NotAccepted;

        /// <summary>Whether librdkafka has the message (so it may have been sent).</summary>
        public bool IsInClient => Volatile.Read(ref state) == InClient;

        /// <summary>Set when librdkafka refused the message at once inside a failure handler: the hand-off task fails it.</summary>
        public Error? DeferredRefusal { get; private set; }

        /// <summary>
        /// Makes a new or recycled delivery the given message's (under the pending list's lock, before it is
        /// linked in). Two holders: the produce call and the outcome (<see cref="Release"/>).
        /// </summary>
        public void Start(string topic, Partition partition, TopicPartition? callerDestination, Message<TKey, TValue> message, AwaitedOutcome? awaited, Activity? producerSpan, long timestamp)
        {
            Topic = topic;
            Partition = partition;
            destination = callerDestination;
            Message = message;
            Awaited = awaited;
            activity = producerSpan;
            startedAt = timestamp;
            DeferredRefusal = null;
            state = NotAccepted;
            completed = 0;
            holds = 2;
        }

        /// <summary>
        /// One holder is done with it: the produce call once it no longer reads it, the outcome once it was handed
        /// over, a disposal snapshot after its attempt. The last one returns a pooled delivery to the pool. A holder
        /// that never releases (a message that was not queued, handed off or awaited) only keeps it out of the pool.
        /// </summary>
        public void Release()
        {
            if (Pooled && Interlocked.Decrement(ref holds) == 0)
            {
                Topic = string.Empty;
                destination = null;
                Message = null!;
                Awaited = null;
                activity = null;
                DeferredRefusal = null;
                owner.pending.Recycle(this);
            }
        }

        /// <summary>Adds a holder (a disposal snapshot); only for a delivery still in the pending list, which its outcome still holds.</summary>
        public void Hold()
        {
            if (Pooled)
            {
                Interlocked.Increment(ref holds);
            }
        }

        /// <summary>Gives the message to librdkafka; throws what <c>Produce</c> throws (<c>Local_QueueFull</c> included).</summary>
        public void Enqueue()
        {
            if (destination is null)
            {
                owner.producer.Produce(Topic, Message, reportHandler);
            }
            else
            {
                owner.producer.Produce(destination, Message, reportHandler);
            }

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

        public void DeferRefusal(Error refusal)
        {
            DeferredRefusal = refusal;
            MarkHandedOff();
        }

        public bool TryClaimCompletion() => Interlocked.Exchange(ref completed, 1) == 0;

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

    /// <summary>
    /// What a <c>ProduceAsync</c> caller awaits, with what deciding between the caller and the failure handler
    /// needs (one object per awaited message, next to its <see cref="TrackedDelivery"/>).
    /// </summary>
    private sealed class AwaitedOutcome() : TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private int dispatched;
        private int callerStoppedWaiting;
        private DeliveryFailure<TKey, TValue>? failure;

        /// <summary>Fails an awaited delivery: the caller gets the exception, or the handler gets the failure if the caller stopped waiting.</summary>
        public void Fail(DeliveryTrackingProducer<TKey, TValue> owner, DeliveryFailure<TKey, TValue> deliveryFailure)
        {
            Interlocked.Exchange(ref failure, deliveryFailure);
            TrySetException(new DeliveryFailedException<TKey, TValue>(deliveryFailure));
            if (Volatile.Read(ref callerStoppedWaiting) != 0)
            {
                DispatchOnce(owner, deliveryFailure);
            }
        }

        /// <summary>The <c>ProduceAsync</c> caller cancelled its wait: a failure, now or later, goes to the handler instead.</summary>
        public void StopWaiting(DeliveryTrackingProducer<TKey, TValue> owner)
        {
            Interlocked.Exchange(ref callerStoppedWaiting, 1);
            if (Volatile.Read(ref failure) is { } known)
            {
                DispatchOnce(owner, known);
            }
        }

        private void DispatchOnce(DeliveryTrackingProducer<TKey, TValue> owner, DeliveryFailure<TKey, TValue> deliveryFailure)
        {
            if (Interlocked.Exchange(ref dispatched, 1) == 0)
            {
                owner.Dispatch(deliveryFailure);
            }
        }
    }
}
