namespace KafkaAnalyzers.Reliability.Health;

/// <summary>How many partitions a consumer owns, and since when it has owned none. Written on the poll thread, read anywhere.</summary>
internal sealed class AssignmentWatch
{
    private int count;
    private long unassignedSinceTicks = DateTimeOffset.UtcNow.UtcTicks;

    public int Count => Volatile.Read(ref count);

    public DateTimeOffset? UnassignedSince
    {
        get
        {
            var ticks = Interlocked.Read(ref unassignedSinceTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The consumer (re)starts: it owns nothing, from now.</summary>
    public void Reset()
    {
        Volatile.Write(ref count, 0);
        Interlocked.Exchange(ref unassignedSinceTicks, DateTimeOffset.UtcNow.UtcTicks);
    }

    public void Set(int owned)
    {
        Volatile.Write(ref count, owned);
        if (owned > 0)
        {
            Interlocked.Exchange(ref unassignedSinceTicks, 0);
        }
        else
        {
            // Keeps the earlier time when it already owned nothing.
            Interlocked.CompareExchange(ref unassignedSinceTicks, DateTimeOffset.UtcNow.UtcTicks, 0);
        }
    }
}
