using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>Settings of a <see cref="DeadLetterReplayer"/> run.</summary>
public sealed class DeadLetterReplayOptions
{
    /// <summary>Default of <see cref="MaxReplays"/>.</summary>
    public const int DefaultMaxReplays = 3;

    /// <summary>
    /// How to reach the cluster: <c>bootstrap.servers</c> and any security settings. The replay producer starts
    /// from <see cref="Configuration.KafkaPresets.CriticalProducer"/> (acks=all, idempotent) and takes these
    /// settings over it; the result must still pass the critical-producer validation.
    /// </summary>
    public ClientConfig Connection { get; set; } = new();

    /// <summary>The dead-letter topic to replay, for example <c>orders.dlq</c>.</summary>
    public string DeadLetterTopic { get; set; } = string.Empty;

    /// <summary>Which dead letters to replay; all when no criterion is set.</summary>
    public DeadLetterFilter Filter { get; set; } = new();

    /// <summary>
    /// Where to republish. Null (the default): each dead letter's original topic
    /// (<see cref="DeadLetterHeaders.OriginalTopic"/>), to its original partition when that partition
    /// exists, else by key. A topic name: that topic, by key.
    /// </summary>
    public string? TargetTopic { get; set; }

    /// <summary>
    /// A dead letter already replayed this many times (<see cref="ReplayHeaders.Count"/>) is refused: counted
    /// and listed in the result, not republished. Default 3.
    /// </summary>
    public int MaxReplays { get; set; } = DefaultMaxReplays;

    /// <summary>
    /// Names the run's progress, which is committed to the consumer group <c>kafka-dlq-replay.&lt;id&gt;</c>.
    /// Running again with the same id continues after the last committed batch. Default: derived from the
    /// dead-letter topic, the filter and the target, so repeating the same replay resumes it.
    /// </summary>
    public string? ReplayId { get; set; }

    /// <summary>How many dead letters are read between two progress commits; the most a crash can replay twice. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Read, select and count, but republish nothing and commit nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>How long to wait for the cluster (metadata, offsets, a silent partition, acknowledgements of a batch). Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives the counts after every batch.</summary>
    public IProgress<DeadLetterReplayProgress>? Progress { get; set; }

    /// <summary>Clock for <see cref="ReplayHeaders.ReplayedAt"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lists every invalid setting, each naming it.</summary>
    internal List<string> Validate()
    {
        var problems = new List<string>();
        if (Connection is null || Configuration.ConnectionSettings.BootstrapServers(Connection) is null)
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(Connection)} must name bootstrap.servers.");
        }

        if (string.IsNullOrWhiteSpace(DeadLetterTopic))
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(DeadLetterTopic)} is required.");
        }

        if (TargetTopic is { } target && (string.IsNullOrWhiteSpace(target) || target == DeadLetterTopic))
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(TargetTopic)} must name a topic other than the dead-letter topic; got '{target}'.");
        }

        if (MaxReplays is < 1 or > 1000)
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(MaxReplays)} must be between 1 and 1000; got {MaxReplays}.");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(BatchSize)} must be between 1 and 100000; got {BatchSize}.");
        }

        if (Timeout < TimeSpan.FromMilliseconds(100) || Timeout > TimeSpan.FromHours(1))
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(Timeout)} must be between 100 ms and 1 hour; got {Timeout}.");
        }

        if (ReplayId is { } id && (id.Length is 0 or > 200 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))))
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(ReplayId)} must be 1 to 200 characters from [A-Za-z0-9._-]; got '{id}'.");
        }

        if (Filter is null)
        {
            problems.Add($"{nameof(DeadLetterReplayOptions)}.{nameof(Filter)} is required (an empty filter selects everything).");
        }
        else
        {
            problems.AddRange(Filter.Validate());
        }

        return problems;
    }
}

/// <summary>Counts of a replay in progress.</summary>
/// <param name="Scanned">Dead letters read so far.</param>
/// <param name="Total">Dead letters to read in this run (from the resume point to the end as it was at the start).</param>
/// <param name="Selected">Read dead letters the filter selected.</param>
/// <param name="Replayed">Selected dead letters republished and acknowledged (in a dry run: that would be).</param>
/// <param name="Refused">Selected dead letters refused because they were replayed <see cref="DeadLetterReplayOptions.MaxReplays"/> times already.</param>
/// <param name="Unroutable">Selected dead letters with no readable original topic and no <see cref="DeadLetterReplayOptions.TargetTopic"/>.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record DeadLetterReplayProgress(long Scanned, long Total, long Selected, long Replayed, long Refused, long Unroutable, TimeSpan Elapsed);

/// <summary>What a replay run did.</summary>
/// <param name="ReplayId">The run's id (its progress is in consumer group <c>kafka-dlq-replay.&lt;id&gt;</c>).</param>
/// <param name="DryRun">Whether nothing was republished or committed.</param>
/// <param name="Counts">The final counts.</param>
/// <param name="ReplayedByTopic">Republished dead letters per target topic.</param>
/// <param name="RefusedLocations">Where the refused dead letters are (at most 1000 listed).</param>
/// <param name="UnroutableLocations">Where the unroutable dead letters are (at most 1000 listed).</param>
public sealed record DeadLetterReplayResult(
    string ReplayId,
    bool DryRun,
    DeadLetterReplayProgress Counts,
    IReadOnlyDictionary<string, long> ReplayedByTopic,
    IReadOnlyList<TopicPartitionOffset> RefusedLocations,
    IReadOnlyList<TopicPartitionOffset> UnroutableLocations);

/// <summary>
/// A replay stopped because a dead letter could not be republished or the progress could not be committed.
/// Everything up to <see cref="CommittedCounts"/> is republished and committed; running the same replay again
/// continues from there (the failed batch may then be republished a second time).
/// </summary>
public sealed class DeadLetterReplayException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="committedCounts">The counts up to the last committed batch.</param>
    /// <param name="innerException">The cause.</param>
    public DeadLetterReplayException(string message, DeadLetterReplayProgress committedCounts, Exception? innerException = null)
        : base(message, innerException)
    {
        CommittedCounts = committedCounts;
    }

    /// <summary>The counts up to the last committed batch.</summary>
    public DeadLetterReplayProgress CommittedCounts { get; }
}
