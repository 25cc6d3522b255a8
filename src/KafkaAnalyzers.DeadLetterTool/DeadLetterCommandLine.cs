using System.CommandLine;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary>
/// <c>kafka-dlq list|show|replay</c>: inspects and replays the dead-letter topics that
/// KafkaAnalyzers.Reliability writes. Results go to the output writer, progress and errors to the error writer.
/// </summary>
public static class DeadLetterCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where progress and errors go (stderr).</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C is also handled when run as a program).</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = Build(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"kafka-dlq: {problem.Message}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command == root ? "kafka-dlq --help" : $"kafka-dlq {parse.CommandResult.Command.Name} --help";
            await error.WriteLineAsync($"Run '{command}' for usage.").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
            cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Inspect and replay Kafka dead-letter topics written by KafkaAnalyzers.Reliability (dlq.* headers).\n" + ExitCodes.Description);
        root.Add(ListCommand.Create(output, error));
        root.Add(ShowCommand.Create(output, error));
        root.Add(ReplayCommand.Create(output, error));
        return root;
    }

    /// <summary>Runs a command body and turns what it throws into an exit code and a one-paragraph message.</summary>
    internal static async Task<int> Guard(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("kafka-dlq: interrupted. A replay's progress is committed up to its last finished batch: run the same command again to continue.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (KafkaUnreachableException unreachable)
        {
            await error.WriteLineAsync($"kafka-dlq: {unreachable.Message}").ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (TopicNotFoundException missing)
        {
            await error.WriteLineAsync($"kafka-dlq: {missing.Message}").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (DeadLetterReplayException stopped)
        {
            await error.WriteLineAsync($"kafka-dlq: replay stopped. {stopped.Message}").ConfigureAwait(false);
            return ExitCodes.ReplayStopped;
        }
        catch (KafkaConfigurationException unsafeConfig)
        {
            await error.WriteLineAsync($"kafka-dlq: --command-config: {unsafeConfig.Message}").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        catch (ArgumentException bad)
        {
            // Settings librdkafka refuses (an unknown key in --command-config, a bad value) and invalid filters.
            await error.WriteLineAsync($"kafka-dlq: {bad.Message}").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        catch (KafkaException kafka) when (kafka.Error.Code is ErrorCode.Local_InvalidArg or ErrorCode.InvalidConfig)
        {
            await error.WriteLineAsync($"kafka-dlq: invalid client setting: {kafka.Error.Reason}").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        catch (Exception unexpected)
        {
            await error.WriteLineAsync($"kafka-dlq: unexpected error: {unexpected}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
