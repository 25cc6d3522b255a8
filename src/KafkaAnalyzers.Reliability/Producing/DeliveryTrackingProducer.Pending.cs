using System.Diagnostics;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Producing;

public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>
    /// The messages neither delivered nor failed yet, in the order they were tracked, and the pool their
    /// <see cref="TrackedDelivery"/> objects are reused from.
    /// </summary>
    /// <remarks>
    /// <para>Each delivery is its own list node, so tracking a message allocates no node (a dictionary allocated
    /// one per message and grew its tables with the backlog).</para>
    /// <para>The pool: a <c>Produce</c> delivery, with the delivery-report delegate bound to it, is used again once
    /// its outcome was handed over and the produce call returned (<see cref="TrackedDelivery.Release"/>), so a
    /// producer in a steady state allocates neither per message. Released ones are pushed onto a lock-free stack
    /// (one compare-exchange, on the thread that handed the outcome over); the produce side takes that whole stack
    /// at once, under the list's lock it takes anyway. At most <see cref="PoolCapacity"/> pooled deliveries exist
    /// per producer (192 bytes each with their delegate); there are only ever as many as were pending at once. Beyond
    /// that, for <c>ProduceAsync</c> (whose caller keeps the delivery) and for a message that was not queued or was
    /// handed off, they are allocated and left to the garbage collector.</para>
    /// </remarks>
    private sealed class PendingDeliveries(DeliveryTrackingProducer<TKey, TValue> owner)
    {
        /// <summary>Pooled deliveries a producer keeps at most: enough for 65,536 messages awaiting their reports (12 MiB).</summary>
        public const int PoolCapacity = 65_536;

        private readonly object gate = new();
        private TrackedDelivery? oldest;
        private TrackedDelivery? newest;
        private int count;
        private TrackedDelivery? free;
        private TrackedDelivery? released;
        private int pooled;
        private long reused;

        public int Count => Volatile.Read(ref count);

        /// <summary>How many times a recycled delivery was taken (tests check that reuse happens).</summary>
        public long Reused => Interlocked.Read(ref reused);

        public bool IsEmpty => Count == 0;

        /// <summary>Takes a delivery (recycled when one is free, unless <paramref name="awaited"/>), starts it for the message and appends it.</summary>
        public TrackedDelivery Track(string topic, Partition partition, TopicPartition? destination, Message<TKey, TValue> message, AwaitedOutcome? awaited, Activity? producerSpan)
        {
            var timestamp = Stopwatch.GetTimestamp();
            lock (gate)
            {
                TrackedDelivery? delivery = null;
                if (awaited is null)
                {
                    if (free is null && Volatile.Read(ref released) is not null)
                    {
                        free = Interlocked.Exchange(ref released, null);
                    }

                    if (free is not null)
                    {
                        delivery = free;
                        free = delivery.Newer;
                        reused++;
                    }
                }

                delivery ??= new TrackedDelivery(owner, pooled: awaited is null && TryReserve());
                delivery.Start(topic, partition, destination, message, awaited, producerSpan, timestamp);
                delivery.IsPending = true;
                delivery.Older = newest;
                delivery.Newer = null;
                if (newest is null)
                {
                    oldest = delivery;
                }
                else
                {
                    newest.Newer = delivery;
                }

                newest = delivery;
                count++;
                return delivery;
            }
        }

        /// <summary>Removes the delivery; removing one that is not pending (any more) does nothing.</summary>
        public void Remove(TrackedDelivery delivery)
        {
            lock (gate)
            {
                if (!delivery.IsPending)
                {
                    return;
                }

                delivery.IsPending = false;
                if (delivery.Older is null)
                {
                    oldest = delivery.Newer;
                }
                else
                {
                    delivery.Older.Newer = delivery.Newer;
                }

                if (delivery.Newer is null)
                {
                    newest = delivery.Older;
                }
                else
                {
                    delivery.Newer.Older = delivery.Older;
                }

                delivery.Older = null;
                delivery.Newer = null;
                count--;
            }
        }

        /// <summary>Takes back a pooled delivery whose holders all released it (not pending, nobody reads it).</summary>
        public void Recycle(TrackedDelivery delivery)
        {
            while (true)
            {
                var top = Volatile.Read(ref released);
                delivery.Newer = top;
                if (Interlocked.CompareExchange(ref released, delivery, top) == top)
                {
                    return;
                }
            }
        }

        /// <summary>A pooled delivery that will never be released by all its holders (not queued, or handed off) no longer counts against the capacity.</summary>
        public void Abandon(TrackedDelivery delivery)
        {
            if (delivery.Pooled)
            {
                Interlocked.Decrement(ref pooled);
            }
        }

        /// <summary>How long the oldest pending delivery has waited; zero when none is pending.</summary>
        public TimeSpan OldestAge()
        {
            lock (gate)
            {
                return oldest?.Elapsed ?? TimeSpan.Zero;
            }
        }

        /// <summary>
        /// The pending deliveries, oldest first, as they are now, each held (<see cref="TrackedDelivery.Hold"/>)
        /// so it is not reused while the caller looks at it: release each one after.
        /// </summary>
        public List<TrackedDelivery> SnapshotHeld()
        {
            lock (gate)
            {
                var all = new List<TrackedDelivery>(count);
                for (var delivery = oldest; delivery is not null; delivery = delivery.Newer)
                {
                    delivery.Hold();
                    all.Add(delivery);
                }

                return all;
            }
        }

        private bool TryReserve()
        {
            if (Volatile.Read(ref pooled) >= PoolCapacity)
            {
                return false;
            }

            Interlocked.Increment(ref pooled);
            return true;
        }
    }
}
