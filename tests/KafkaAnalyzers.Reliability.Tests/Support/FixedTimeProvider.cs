namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>A clock that always says the same time, for asserting recorded timestamps.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
