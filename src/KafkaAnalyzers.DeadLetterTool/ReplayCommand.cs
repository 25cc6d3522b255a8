using System.CommandLine;
using System.Diagnostics;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary><c>kafka-dlq replay</c>: republishes selected dead letters, committing progress after every batch.</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = new ConnectionOptions();
        var filters = new FilterOptions();
        var toTopic = new Option<string?>("--to-topic")
        {
            Description = "Republish to this topic (by key) instead of each dead letter's original topic and partition.",
            HelpName = "topic",
            CustomParser = result => Parsers.TopicName(result),
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read, select and count; republish nothing and commit nothing." };
        var maxReplays = new Option<int>("--max-replays")
        {
            Description = $"Refuse dead letters already replayed this many times (replay.count header). Default {DeadLetterReplayOptions.DefaultMaxReplays}.",
            HelpName = "n",
            DefaultValueFactory = _ => DeadLetterReplayOptions.DefaultMaxReplays,
            CustomParser = result => Parsers.Range(result, 1, 1000),
        };
        var replayId = new Option<string?>("--replay-id")
        {
            Description = "Names the replay's progress (consumer group kafka-dlq-replay.<id>). Default: derived from the topic, filters and --to-topic, so the same command resumes where it stopped.",
            HelpName = "id",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Dead letters read between two progress commits (the most a crash can republish twice). Default 500.",
            HelpName = "n",
            DefaultValueFactory = _ => 500,
            CustomParser = result => Parsers.Range(result, 1, 100_000),
        };
        var command = new Command(
            "replay",
            "Republish selected dead letters to their original topic (or --to-topic) with their key, value and original headers, plus replay.* headers. " +
            "Progress is committed after every batch: after a crash or Ctrl+C, run the same command again to continue.");
        connection.AddTo(command);
        filters.AddTo(command);
        command.Add(toTopic);
        command.Add(dryRun);
        command.Add(maxReplays);
        command.Add(replayId);
        command.Add(batchSize);
        command.SetAction((parse, cancellationToken) => DeadLetterCommandLine.Guard(error, async () =>
        {
            var progress = new ProgressPrinter(error);
            var replayer = new DeadLetterReplayer(new DeadLetterReplayOptions
            {
                Connection = connection.Connection(parse),
                DeadLetterTopic = parse.GetRequiredValue(connection.Topic),
                Filter = filters.Filter(parse),
                TargetTopic = parse.GetValue(toTopic),
                DryRun = parse.GetValue(dryRun),
                MaxReplays = parse.GetValue(maxReplays),
                ReplayId = parse.GetValue(replayId),
                BatchSize = parse.GetValue(batchSize),
                Timeout = parse.GetValue(connection.Timeout),
                Progress = progress,
            });

            await error.WriteLineAsync(
                $"replay {replayer.ReplayId}: progress in consumer group {replayer.ProgressGroup}{(parse.GetValue(dryRun) ? " (dry run: nothing is written or committed)" : string.Empty)}").ConfigureAwait(false);
            var result = await replayer.ReplayAsync(cancellationToken).ConfigureAwait(false);
            progress.Final(result.Counts);
            await WriteSummaryAsync(output, result, parse.GetValue(maxReplays)).ConfigureAwait(false);
            return result.Counts.Refused + result.Counts.Unroutable > 0 ? ExitCodes.ReplayIncomplete : ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, DeadLetterReplayResult result, int maxReplays)
    {
        var counts = result.Counts;
        var verb = result.DryRun ? "Would republish" : "Republished";
        await output.WriteLineAsync($"{verb} {counts.Replayed} dead letter(s) (replay id {result.ReplayId}):").ConfigureAwait(false);
        foreach (var (topic, count) in result.ReplayedByTopic.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  {topic}: {count}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(
            $"Read {counts.Scanned} of {counts.Total}, selected {counts.Selected}, refused {counts.Refused} (replayed {maxReplays} time(s) already), " +
            $"unroutable {counts.Unroutable} (no readable original topic; use --to-topic), in {counts.Elapsed.TotalSeconds:0.0} s.").ConfigureAwait(false);
        if (result.RefusedLocations.Count > 0)
        {
            await output.WriteLineAsync("Refused: " + string.Join(", ", result.RefusedLocations.Select(Location))).ConfigureAwait(false);
        }

        if (result.UnroutableLocations.Count > 0)
        {
            await output.WriteLineAsync("Unroutable: " + string.Join(", ", result.UnroutableLocations.Select(Location))).ConfigureAwait(false);
        }

        if (result.DryRun)
        {
            await output.WriteLineAsync("Dry run: nothing was republished and no progress was committed.").ConfigureAwait(false);
        }
    }

    private static string Location(Confluent.Kafka.TopicPartitionOffset location) => $"[{location.Partition.Value}] @{location.Offset.Value}";

    /// <summary>Prints the counts after a batch, at most once a second, on the error writer.</summary>
    private sealed class ProgressPrinter(TextWriter error) : IProgress<DeadLetterReplayProgress>
    {
        private long lastPrinted = -1;

        public void Report(DeadLetterReplayProgress value)
        {
            if (lastPrinted >= 0 && Stopwatch.GetElapsedTime(lastPrinted) < TimeSpan.FromSeconds(1))
            {
                return;
            }

            lastPrinted = Stopwatch.GetTimestamp();
            Print(value);
        }

        public void Final(DeadLetterReplayProgress value) => Print(value);

        private void Print(DeadLetterReplayProgress value)
        {
            var percent = value.Total == 0 ? 100 : 100.0 * value.Scanned / value.Total;
            lock (error)
            {
                error.WriteLine(
                    $"replay: {value.Scanned}/{value.Total} read ({percent:0}%), {value.Selected} selected, {value.Replayed} republished, " +
                    $"{value.Refused} refused, {value.Unroutable} unroutable, {value.Elapsed.TotalSeconds:0.0} s");
            }
        }
    }
}
