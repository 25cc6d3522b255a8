namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Which dead letters to list or replay. Every criterion that is set must match; none set selects every
/// dead letter. Dead letters whose headers cannot be decoded match only when no criterion about their
/// headers (category, exception type, original topic, failure time) is set.
/// </summary>
public sealed class DeadLetterFilter
{
    /// <summary>Only this failure category.</summary>
    public FailureCategory? Category { get; set; }

    /// <summary>
    /// Only this exception type: its full name (<c>System.TimeoutException</c>) or its simple name
    /// (<c>TimeoutException</c>), compared case-sensitively.
    /// </summary>
    public string? ExceptionType { get; set; }

    /// <summary>Only dead letters of messages consumed from this topic.</summary>
    public string? OriginalTopic { get; set; }

    /// <summary>Only dead letters written at or after this time (<see cref="DeadLetterHeaders.FailedAt"/>).</summary>
    public DateTimeOffset? FailedFrom { get; set; }

    /// <summary>Only dead letters written before this time.</summary>
    public DateTimeOffset? FailedBefore { get; set; }

    /// <summary>Only this partition of the dead-letter topic.</summary>
    public int? Partition { get; set; }

    /// <summary>Only offsets of the dead-letter topic from this one (inclusive), in every partition read.</summary>
    public long? FromOffset { get; set; }

    /// <summary>Only offsets of the dead-letter topic up to this one (inclusive), in every partition read.</summary>
    public long? ToOffset { get; set; }

    /// <summary>Whether any criterion reads the dead-letter headers.</summary>
    internal bool ReadsHeaders => Category is not null || ExceptionType is not null || OriginalTopic is not null || FailedFrom is not null || FailedBefore is not null;

    /// <summary>Whether <paramref name="record"/> is selected.</summary>
    /// <param name="record">A dead letter.</param>
    /// <returns>True when every criterion that is set matches.</returns>
    public bool Matches(DeadLetterRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!InRange(record.Location.Partition.Value, record.Location.Offset.Value))
        {
            return false;
        }

        if (record.Metadata is not { } metadata)
        {
            return !ReadsHeaders;
        }

        return (Category is null || metadata.Category == Category)
            && (ExceptionType is null || metadata.ExceptionType == ExceptionType || SimpleName(metadata.ExceptionType) == ExceptionType)
            && (OriginalTopic is null || metadata.OriginalTopic == OriginalTopic)
            && (FailedFrom is null || metadata.FailedAt >= FailedFrom)
            && (FailedBefore is null || metadata.FailedAt < FailedBefore);
    }

    /// <summary>Whether a dead-letter partition and offset are within <see cref="Partition"/>, <see cref="FromOffset"/> and <see cref="ToOffset"/>.</summary>
    internal bool InRange(int partition, long offset) =>
        (Partition is null || Partition == partition)
        && (FromOffset is null || offset >= FromOffset)
        && (ToOffset is null || offset <= ToOffset);

    /// <summary>Lists every invalid criterion, each naming its property.</summary>
    internal List<string> Validate()
    {
        var problems = new List<string>();
        if (Partition is < 0)
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(Partition)} must not be negative; got {Partition}.");
        }

        if (FromOffset is < 0)
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(FromOffset)} must not be negative; got {FromOffset}.");
        }

        if (ToOffset is < 0)
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(ToOffset)} must not be negative; got {ToOffset}.");
        }

        if (FromOffset is { } from && ToOffset is { } to && to < from)
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(ToOffset)} ({to}) is before {nameof(FromOffset)} ({from}).");
        }

        if (FailedFrom is { } after && FailedBefore is { } before && before <= after)
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(FailedBefore)} ({before:O}) is not after {nameof(FailedFrom)} ({after:O}).");
        }

        if (ExceptionType is { } type && string.IsNullOrWhiteSpace(type))
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(ExceptionType)} is blank.");
        }

        if (OriginalTopic is { } topic && string.IsNullOrWhiteSpace(topic))
        {
            problems.Add($"{nameof(DeadLetterFilter)}.{nameof(OriginalTopic)} is blank.");
        }

        return problems;
    }

    /// <summary>A stable text of the criteria, used to derive a replay's default id.</summary>
    internal string Describe() =>
        $"category={Category};type={ExceptionType};topic={OriginalTopic};from={FailedFrom?.ToUnixTimeMilliseconds()};before={FailedBefore?.ToUnixTimeMilliseconds()};" +
        $"partition={Partition};offsets={FromOffset}-{ToOffset}";

    private static string SimpleName(string fullName)
    {
        var cut = fullName.LastIndexOfAny(['.', '+']);
        return cut < 0 ? fullName : fullName[(cut + 1)..];
    }
}
