namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>Whether retrying a failed message could succeed.</summary>
public enum FailureCategory
{
    /// <summary>Retrying cannot help (bad data, validation, authorization): dead-letter at once.</summary>
    Permanent = 0,

    /// <summary>Retrying may help (timeouts, unavailable dependency): retry with backoff, then dead-letter.</summary>
    Transient = 1,
}
