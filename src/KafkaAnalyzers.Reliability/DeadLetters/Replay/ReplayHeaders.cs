using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Headers <see cref="DeadLetterReplayer"/> adds to a replayed message. UTF-8 text; integers and times are
/// invariant decimal text (times in Unix epoch milliseconds). A replayed message carries exactly one set:
/// replaying it again replaces them, with <see cref="Count"/> one higher.
/// </summary>
public static class ReplayHeaders
{
    /// <summary>Prefix of every replay header.</summary>
    public const string Prefix = "replay.";

    /// <summary>How many times this message has been replayed from a dead-letter topic, this replay included (decimal).</summary>
    public const string Count = Prefix + "count";

    /// <summary>When it was replayed (decimal Unix milliseconds, UTC).</summary>
    public const string ReplayedAt = Prefix + "at";

    /// <summary>The dead-letter topic it was replayed from.</summary>
    public const string SourceTopic = Prefix + "source.topic";

    /// <summary>Its partition in the dead-letter topic (decimal).</summary>
    public const string SourcePartition = Prefix + "source.partition";

    /// <summary>Its offset in the dead-letter topic (decimal).</summary>
    public const string SourceOffset = Prefix + "source.offset";

    /// <summary>The replay run's id (<see cref="DeadLetterReplayOptions.ReplayId"/>).</summary>
    public const string ReplayId = Prefix + "id";

    /// <summary>The replay count a message's headers carry: the last <see cref="Count"/> header, 0 when absent or unreadable.</summary>
    /// <param name="headers">A message's headers (null counts as none).</param>
    /// <returns>How many times it was replayed before.</returns>
    public static int ReadCount(Headers? headers) =>
        headers is not null
        && headers.TryGetLastBytes(Count, out var bytes)
        && bytes is not null
        && int.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
}
