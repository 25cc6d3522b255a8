namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// The circuit breaker around the handler. Only transient failures count. While it is open the
/// consumer pauses its partitions (it keeps polling, so the group does not evict it) and messages
/// already consumed wait for it without using up their retry attempts; when it half-opens the
/// partitions resume and one probe call decides whether it closes again.
/// </summary>
public sealed class HandlerCircuitBreakerOptions
{
    /// <summary>Whether the breaker is used. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed calls within <see cref="SamplingDuration"/> that opens the breaker. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// How many calls within <see cref="SamplingDuration"/> are needed before the breaker may open. Default 20. Must be
    /// greater than <see cref="HandlerRetryOptions.MaxAttempts"/>, so that one message failing on its own cannot open it.
    /// </summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>The window over which failures are counted. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before it lets a probe call through. Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate(string prefix)
    {
        var problems = new List<string>();
        if (!Enabled)
        {
            return problems;
        }

        // Polly.Core's own limits, reported here under this library's setting names.
        ReliableConsumerOptions.Require(problems, FailureRatio is > 0 and <= 1, $"{prefix}.{nameof(FailureRatio)}", "must be above 0 and at most 1");
        ReliableConsumerOptions.Require(problems, MinimumThroughput >= 2, $"{prefix}.{nameof(MinimumThroughput)}", "must be at least 2");
        ReliableConsumerOptions.Require(problems, SamplingDuration >= TimeSpan.FromMilliseconds(500) && SamplingDuration <= TimeSpan.FromDays(1), $"{prefix}.{nameof(SamplingDuration)}", "must be between 500 ms and 1 day");
        ReliableConsumerOptions.Require(problems, BreakDuration >= TimeSpan.FromMilliseconds(500) && BreakDuration <= TimeSpan.FromDays(1), $"{prefix}.{nameof(BreakDuration)}", "must be between 500 ms and 1 day");
        return problems;
    }
}
