namespace KafkaAnalyzers.Reliability.Producing;

public sealed partial class DeliveryTrackingProducer<TKey, TValue>
{
    /// <summary>
    /// The messages neither delivered nor failed yet, in the order they were tracked. Each
    /// <see cref="TrackedDelivery"/> is its own list node, so tracking a message allocates nothing beyond the
    /// delivery itself (a dictionary allocated a node per message and grew its tables with the backlog).
    /// </summary>
    private sealed class PendingDeliveries
    {
        private readonly object gate = new();
        private TrackedDelivery? oldest;
        private TrackedDelivery? newest;
        private int count;

        public int Count => Volatile.Read(ref count);

        public bool IsEmpty => Count == 0;

        public void Add(TrackedDelivery delivery)
        {
            lock (gate)
            {
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

        /// <summary>How long the oldest pending delivery has waited; zero when none is pending.</summary>
        public TimeSpan OldestAge()
        {
            lock (gate)
            {
                return oldest?.Elapsed ?? TimeSpan.Zero;
            }
        }

        /// <summary>The pending deliveries, oldest first, as they are now.</summary>
        public List<TrackedDelivery> Snapshot()
        {
            lock (gate)
            {
                var all = new List<TrackedDelivery>(count);
                for (var delivery = oldest; delivery is not null; delivery = delivery.Newer)
                {
                    all.Add(delivery);
                }

                return all;
            }
        }
    }
}
