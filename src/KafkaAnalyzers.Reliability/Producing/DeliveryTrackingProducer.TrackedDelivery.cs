using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Producing;

public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>One produced message from the produce call to its outcome.</summary>
    private sealed class TrackedDelivery
    {
        private readonly DeliveryTrackingProducer<TKey, TValue> owner;
        private readonly Action<DeliveryReport<TKey, TValue>> reportHandler;
        private readonly long startedAt = Stopwatch.GetTimestamp();
        private Activity? activity;
        private int completed;
        private int dispatched;
        private int callerStoppedWaiting;
        private DeliveryFailure<TKey, TValue>? failure;

        public TrackedDelivery(DeliveryTrackingProducer<TKey, TValue> owner, long id, TopicPartition topicPartition, Message<TKey, TValue> message, bool awaited)
        {
            this.owner = owner;
            Id = id;
            TopicPartition = topicPartition;
            Message = message;
            reportHandler = OnReport;
            if (awaited)
            {
                Completion = new TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public long Id { get; }

        public TopicPartition TopicPartition { get; }

        public Message<TKey, TValue> Message { get; }

        /// <summary>Set for <c>ProduceAsync</c>: the caller awaits it.</summary>
        public TaskCompletionSource<DeliveryResult<TKey, TValue>>? Completion { get; }

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startedAt);

        public void Enqueue() => owner.producer.Produce(TopicPartition, Message, reportHandler);

        public bool TryClaimCompletion() => Interlocked.Exchange(ref completed, 1) == 0;

        /// <summary>Starts the producer span (without making it current for the caller) and writes the trace context into the headers.</summary>
        public void StartActivity()
        {
            var previous = Activity.Current;
            activity = ReliabilityTelemetry.ActivitySource.StartActivity($"send {TopicPartition.Topic}", ActivityKind.Producer);
            Activity.Current = previous;
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

        public void EndActivity(ActivityStatusCode status, string? description)
        {
            if (activity is null)
            {
                return;
            }

            // Stop() makes the span's parent current on the calling thread (the client's poll thread here);
            // keep that thread's context as it was so handlers running there see no stale activity.
            var current = Activity.Current;
            activity.SetStatus(status, description);
            activity.Stop();
            Activity.Current = current;
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

        /// <summary>Runs on the client's poll thread; an exception escaping here would only reach the error handler, so none does.</summary>
        private void OnReport(DeliveryReport<TKey, TValue> report)
        {
            try
            {
                owner.Complete(this, report.Error, report.Status, report.Partition, report);
            }
            catch (Exception bug)
            {
                LogHandlerFailed(owner.options.Logger, bug, "delivery report handling");
            }
        }
    }
}
