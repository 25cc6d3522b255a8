using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary><c>kafka-dlq list</c>: one line per selected dead letter, oldest first in each partition.</summary>
internal static class ListCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var filters = new FilterOptions();
        var max = new Option<int>("--max")
        {
            Description = "List at most this many dead letters (the count of all matching ones is still given). Default 100.",
            HelpName = "n",
            DefaultValueFactory = _ => 100,
            CustomParser = result => Parsers.Range(result, 1, 1_000_000),
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("list", "List the dead letters of a topic, with where they came from and why they failed.");
        connection.AddTo(command);
        filters.AddTo(command);
        command.Add(max);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => DeadLetterCommandLine.Guard(error, async () =>
        {
            using var reader = new DeadLetterReader(connection.Connection(parse), parse.GetRequiredValue(connection.Topic), parse.GetValue(connection.Timeout));
            var partitions = reader.Describe();
            var limit = parse.GetValue(max);
            var asJson = parse.GetValue(json);
            if (!asJson)
            {
                await output.WriteLineAsync(
                    $"{reader.Topic}: {partitions.Count} partition(s), {partitions.Sum(p => p.Count)} dead letter(s) stored " +
                    $"({string.Join(", ", partitions.Select(p => $"[{p.Partition}] {p.Low}..{p.High - 1}"))})").ConfigureAwait(false);
                await output.WriteLineAsync(Row("PARTITION", "OFFSET", "FAILED AT (UTC)", "CATEGORY", "ATTEMPTS", "REPLAYS", "ORIGINAL", "EXCEPTION", "KEY")).ConfigureAwait(false);
            }

            var matched = 0L;
            await foreach (var record in reader.ReadAsync(filters.Filter(parse), cancellationToken).ConfigureAwait(false))
            {
                matched++;
                if (matched > limit)
                {
                    continue;
                }

                await output.WriteLineAsync(asJson ? Json(record) : Line(record)).ConfigureAwait(false);
            }

            var summary = $"{Math.Min(matched, limit)} listed, {matched} matching" + (matched > limit ? $" (raise --max above {limit} to see all)" : string.Empty);
            await (asJson ? error : output).WriteLineAsync(summary).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Line(DeadLetterRecord record)
    {
        var metadata = record.Metadata;
        return Row(
            record.Location.Partition.Value.ToString(CultureInfo.InvariantCulture),
            record.Location.Offset.Value.ToString(CultureInfo.InvariantCulture),
            metadata is null ? "?" : metadata.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            metadata?.Category.ToString() ?? "?",
            metadata?.Attempts.ToString(CultureInfo.InvariantCulture) ?? "?",
            record.ReplayCount.ToString(CultureInfo.InvariantCulture),
            metadata is null ? $"(unreadable: {record.MetadataProblem})" : $"{metadata.OriginalTopic} [{metadata.OriginalPartition}] @{metadata.OriginalOffset}",
            metadata?.ExceptionType ?? "?",
            ValueText.Show(record.Key, ValueFormat.Auto, maxChars: 40));
    }

    private static string Row(string partition, string offset, string failedAt, string category, string attempts, string replays, string original, string exception, string key) =>
        $"{partition,-9} {offset,-8} {failedAt,-19} {category,-9} {attempts,-8} {replays,-7} {original,-40} {exception,-40} {key}";

    private static string Json(DeadLetterRecord record)
    {
        var metadata = record.Metadata;
        return JsonSerializer.Serialize(new
        {
            partition = record.Location.Partition.Value,
            offset = record.Location.Offset.Value,
            failedAt = metadata?.FailedAt,
            category = metadata?.Category.ToString(),
            attempts = metadata?.Attempts,
            replays = record.ReplayCount,
            originalTopic = metadata?.OriginalTopic,
            originalPartition = metadata?.OriginalPartition,
            originalOffset = metadata?.OriginalOffset,
            exceptionType = metadata?.ExceptionType,
            exceptionMessage = metadata?.ExceptionMessage,
            consumerGroup = metadata?.ConsumerGroup,
            retryTier = record.Retry?.Tier,
            key = ValueText.Show(record.Key, ValueFormat.Auto),
            unreadable = record.MetadataProblem,
        });
    }
}
