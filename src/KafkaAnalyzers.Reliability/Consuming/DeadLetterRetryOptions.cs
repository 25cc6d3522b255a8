namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// What happens when the dead-letter sink fails: the publish is retried with exponential backoff and
/// jitter; if it still fails, the consumer stops with a <see cref="DeadLetters.DeadLetterPublishException"/>
/// instead of skipping the message. Its offset is not stored, so it is delivered again after a restart.
/// </summary>
public sealed class DeadLetterRetryOptions
{
    /// <summary>How many times the publish is attempted before the consumer stops. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry of the publish; it doubles on each retry, with jitter. Default 1 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    internal IEnumerable<string> Validate(string prefix)
    {
        var problems = new List<string>();
        ReliableConsumerOptions.Require(problems, MaxAttempts is >= 1 and <= 1000, $"{prefix}.{nameof(MaxAttempts)}", "must be between 1 and 1000");
        ReliableConsumerOptions.Require(problems, Delay >= TimeSpan.Zero && Delay <= TimeSpan.FromHours(1), $"{prefix}.{nameof(Delay)}", "must be between 0 and 1 hour");
        return problems;
    }
}
