using System.CommandLine;
using System.Globalization;
using System.Text;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary><c>kafka-dlq show</c>: everything about one dead letter.</summary>
internal static class ShowCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var partition = new Option<int>("--partition", "-p")
        {
            Description = "The dead letter's partition in the dead-letter topic.",
            Required = true,
            HelpName = "n",
            CustomParser = result => Parsers.NonNegativeInt(result) ?? 0,
        };
        var offset = new Option<long>("--offset", "-o")
        {
            Description = "The dead letter's offset (see kafka-dlq list).",
            Required = true,
            HelpName = "offset",
            CustomParser = result => Parsers.NonNegativeLong(result) ?? 0,
        };
        var format = new Option<ValueFormat>("--value-format")
        {
            Description = "How to print the key, value and headers: auto (text when printable, else hex), text, hex or base64. Default auto.",
            HelpName = "auto|text|hex|base64",
            DefaultValueFactory = _ => ValueFormat.Auto,
        };
        var command = new Command("show", "Show one dead letter: original location, failure, exception text, retry history, key, value and headers.");
        connection.AddTo(command);
        command.Add(partition);
        command.Add(offset);
        command.Add(format);
        command.SetAction((parse, cancellationToken) => DeadLetterCommandLine.Guard(error, async () =>
        {
            using var reader = new DeadLetterReader(connection.Connection(parse), parse.GetRequiredValue(connection.Topic), parse.GetValue(connection.Timeout));
            var wantedPartition = parse.GetValue(partition);
            var wantedOffset = parse.GetValue(offset);
            var partitions = reader.Describe();
            if (wantedPartition >= partitions.Count)
            {
                await error.WriteLineAsync($"kafka-dlq: '{reader.Topic}' has partitions 0 to {partitions.Count - 1}; there is no partition {wantedPartition}.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            var record = await reader.ReadAtAsync(wantedPartition, wantedOffset, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                var stored = partitions[wantedPartition];
                await error.WriteLineAsync(
                    $"kafka-dlq: no dead letter at {reader.Topic} [{wantedPartition}] @{wantedOffset}; the partition stores offsets {stored.Low} to {stored.High - 1}.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            await output.WriteAsync(Describe(record, parse.GetValue(format))).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Describe(DeadLetterRecord record, ValueFormat format)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{record.Location.Topic} [{record.Location.Partition.Value}] @{record.Location.Offset.Value}");
        if (record.Metadata is { } metadata)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Dead-lettered:  {metadata.FailedAt.UtcDateTime:O} ({metadata.Category}, {metadata.Attempts} attempt(s){(metadata.ConsumerGroup is null ? "" : $", group {metadata.ConsumerGroup}")})");
            text.AppendLine(CultureInfo.InvariantCulture, $"Original:       {metadata.OriginalTopic} [{metadata.OriginalPartition}] @{metadata.OriginalOffset}, {metadata.OriginalTimestamp.Type} {metadata.OriginalTimestamp.UtcDateTime:O}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Exception:      {metadata.ExceptionType}: {metadata.ExceptionMessage}");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Dead-letter headers unreadable: {record.MetadataProblem}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Replayed:       {record.ReplayCount} time(s)");
        if (record.Retry is { } retry)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Retry tiers:    reached tier {retry.Tier}, {retry.Attempts} attempt(s) before the last");
            if (retry.FirstFailure is { } first)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  first failure {first.FailedAt.UtcDateTime:O}: {first.ExceptionType}: {first.ExceptionMessage}");
            }

            if (retry.LastFailure is { } last)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  tier failure  {last.FailedAt.UtcDateTime:O}: {last.ExceptionType}: {last.ExceptionMessage}");
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Key:            {ValueText.Show(record.Key, format)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Value ({record.Value?.Length ?? 0} bytes):");
        text.AppendLine(ValueText.Show(record.Value, format));
        text.AppendLine("Headers:");
        foreach (var header in record.Headers)
        {
            if (header.Key is DeadLetterHeaders.ExceptionStackTrace or Reliability.RetryTopics.RetryHeaders.LastExceptionStackTrace)
            {
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {header.Key} = {ValueText.Show(header.GetValueBytes(), format, maxChars: 200)}");
        }

        if (record.Metadata is { ExceptionStackTrace.Length: > 0 } withTrace)
        {
            text.AppendLine("Exception text:");
            text.AppendLine(withTrace.ExceptionStackTrace);
        }

        return text.ToString();
    }
}
