namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>Retries of transient handler failures: exponential backoff with jitter, then the dead-letter sink.</summary>
public sealed class HandlerRetryOptions
{
    /// <summary>
    /// How many times a message is handled at most before it is dead-lettered as transient (1 = no retry). Default 5.
    /// This is a budget per message: every handler call counts, including a circuit breaker's half-open probe,
    /// and calls made before the breaker opened still count after it closes (waiting for the breaker costs none).
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry; it doubles on each retry, with jitter. Default 200 ms.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two attempts. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate(string prefix)
    {
        var problems = new List<string>();
        ReliableConsumerOptions.Require(problems, MaxAttempts is >= 1 and <= 1000, $"{prefix}.{nameof(MaxAttempts)}", "must be between 1 and 1000");
        ReliableConsumerOptions.Require(problems, Delay >= TimeSpan.Zero && Delay <= TimeSpan.FromHours(1), $"{prefix}.{nameof(Delay)}", "must be between 0 and 1 hour");
        ReliableConsumerOptions.Require(problems, MaxDelay >= Delay && MaxDelay <= TimeSpan.FromDays(1), $"{prefix}.{nameof(MaxDelay)}", $"must be at least {nameof(Delay)} and at most 1 day");
        return problems;
    }
}
