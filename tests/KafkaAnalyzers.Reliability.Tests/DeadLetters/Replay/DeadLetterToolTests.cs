using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaAnalyzers.DeadLetterTool;
using KafkaAnalyzers.Reliability.DeadLetters;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.DeadLetters.Replay;

/// <summary>kafka-dlq, run in-process as a user would type it, against the in-process cluster.</summary>
public sealed class DeadLetterToolTests(ITestOutputHelper output)
{
    [Fact]
    public async Task List_prints_one_line_per_matching_dead_letter_with_its_origin_and_failure()
    {
        using var fixture = await FixtureAsync();

        var all = await RunAsync($"list --bootstrap-servers {fixture.Cluster.BootstrapServers} --topic {fixture.DeadLetterTopic}");
        var permanent = await RunAsync($"list -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --category permanent --since -1h");
        var limited = await RunAsync($"list -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --partition 1 --from-offset 1 --to-offset 3 --max 2");
        var inPartition1 = fixture.Read(fixture.DeadLetterTopic).Count(d => d.Partition.Value == 1);

        Assert.Equal(ExitCodes.Ok, all.ExitCode);
        Assert.Contains($"{fixture.DeadLetterTopic}: 2 partition(s), 12 dead letter(s) stored", all.Output);
        Assert.Equal(12, DataLines(all.Output).Count);
        Assert.Contains(DataLines(all.Output), line => line.Contains("System.TimeoutException") && line.Contains("Transient") && line.Contains($"{fixture.Topic} [0] @0") && line.Contains("key-0"));
        Assert.EndsWith("12 listed, 12 matching", all.Output.TrimEnd());

        Assert.Equal(ExitCodes.Ok, permanent.ExitCode);
        Assert.Equal(4, DataLines(permanent.Output).Count);
        Assert.All(DataLines(permanent.Output), line => Assert.Contains("System.FormatException", line));

        Assert.Equal(ExitCodes.Ok, limited.ExitCode);
        Assert.Equal(["1", "1"], DataLines(limited.Output).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.True(inPartition1 >= 4, $"the keys spread the 12 dead letters over both partitions ({inPartition1} in partition 1)");
        Assert.Contains("2 listed, 3 matching (raise --max above 2 to see all)", limited.Output);
    }

    [Fact]
    public async Task List_as_json_gives_one_object_per_dead_letter()
    {
        using var fixture = await FixtureAsync();

        var result = await RunAsync($"list -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --json --exception-type FormatException");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var objects = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(4, objects.Count);
        Assert.All(objects, o => Assert.Equal("Permanent", o.GetProperty("category").GetString()));
        Assert.All(objects, o => Assert.Equal(fixture.Topic, o.GetProperty("originalTopic").GetString()));
    }

    [Fact]
    public async Task Show_prints_the_failure_the_origin_the_value_and_the_headers_and_reports_a_missing_offset()
    {
        using var fixture = await FixtureAsync();

        var stored = fixture.Read(fixture.DeadLetterTopic).Single(d => d.Partition.Value == 1 && d.Offset.Value == 0);
        var metadata = DeadLetterMetadata.Read(stored.Message.Headers);
        var id = DeadLetterFixture.IdOf(stored);
        var shown = await RunAsync($"show -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --partition 1 --offset 0");
        var missing = await RunAsync($"show -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} -p 1 -o 99");
        var noPartition = await RunAsync($"show -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} -p 7 -o 0");

        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        Assert.Contains($"{fixture.DeadLetterTopic} [1] @0", shown.Output);
        Assert.Contains($"Original:       {fixture.Topic} [{id % 2}] @{id}", shown.Output);
        Assert.Contains($"Exception:      {metadata.ExceptionType}: {metadata.ExceptionMessage}", shown.Output);
        Assert.Contains($"\norder {id}\n", shown.Output.ReplaceLineEndings("\n"));
        Assert.Contains($"dlq.failure.category = {metadata.Category}", shown.Output);
        Assert.Contains($"id = {id}", shown.Output);
        Assert.Contains("Exception text:", shown.Output);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("no dead letter at", missing.Error);
        Assert.Equal(ExitCodes.NotFound, noPartition.ExitCode);
        Assert.Contains("partitions 0 to 1", noPartition.Error);
    }

    [Fact]
    public async Task Replay_dry_run_then_replay_republishes_the_selection_with_progress_and_the_same_command_resumes_with_nothing_left()
    {
        using var fixture = await FixtureAsync();
        var replay = $"replay -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --category transient --batch-size 3";

        var dryRun = await RunAsync(replay + " --dry-run");
        Assert.Equal(ExitCodes.Ok, dryRun.ExitCode);
        Assert.Contains("Would republish 8 dead letter(s)", dryRun.Output);
        Assert.Contains("Dry run: nothing was republished", dryRun.Output);
        Assert.Empty(fixture.Read(fixture.Topic));

        var real = await RunAsync(replay);
        Assert.Equal(ExitCodes.Ok, real.ExitCode);
        Assert.Contains($"Republished 8 dead letter(s)", real.Output);
        Assert.Contains($"  {fixture.Topic}: 8", real.Output);
        Assert.Contains("replay: 12/12 read (100%), 8 selected, 8 republished", real.Error);
        var republished = fixture.Read(fixture.Topic);
        Assert.Equal(Enumerable.Range(0, 12).Where(id => id % 3 != 1).ToArray(), republished.Select(DeadLetterFixture.IdOf).Order().ToArray());

        var again = await RunAsync(replay);
        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Contains("Republished 0 dead letter(s)", again.Output);
        Assert.Contains("Read 0 of 0", again.Output);
    }

    [Fact]
    public async Task A_replay_interrupted_mid_run_exits_130_and_the_same_command_finishes_it_without_losing_any()
    {
        using var fixture = new DeadLetterFixture(partitions: 2);
        const int count = 2000;
        const int batch = 25;
        await fixture.PublishAsync(0, count, id => (new TimeoutException($"gateway timed out for {id}"), FailureCategory.Transient));
        var replay = $"replay -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --batch-size {batch}";

        // Ctrl+C as the first batch's progress line is printed: the tool reports progress synchronously after each
        // committed batch, so the interruption lands mid-run however fast or slow the machine is (a watcher polling
        // the topic could miss a whole 2,000-message run on a fast machine and interrupt nothing).
        using var interrupt = new CancellationTokenSource();
        var stderr = new InterruptingWriter(line => line.StartsWith("replay: ", StringComparison.Ordinal) && !line.StartsWith($"replay: {count}/", StringComparison.Ordinal), interrupt);
        var interrupted = await RunAsync(replay, interrupt.Token, stderr);
        Assert.True(interrupt.IsCancellationRequested, "the replay printed no progress line before finishing");
        var resumed = await RunAsync(replay);

        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Contains("kafka-dlq: interrupted.", interrupted.Error);
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        var republished = fixture.Read(fixture.Topic).Select(DeadLetterFixture.IdOf).ToList();
        Assert.Equal(Enumerable.Range(0, count), republished.Distinct().Order());
        Assert.InRange(republished.Count - count, 0, batch);
        Assert.Matches(@"Read \d+ of \d+", resumed.Output);
        Assert.DoesNotContain($"Read {count} of {count}", resumed.Output);
    }

    [Fact]
    public async Task Replay_exits_6_and_lists_the_dead_letters_the_replay_limit_refused()
    {
        using var fixture = await FixtureAsync();
        await fixture.PublishAsync(100, 2, _ => (new TimeoutException("still slow"), FailureCategory.Transient), _ => new Headers { { ReplayHeaders.Count, Encoding.UTF8.GetBytes("2") } });

        var result = await RunAsync($"replay -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --max-replays 2 --to-topic {fixture.Topic}");

        Assert.Equal(ExitCodes.ReplayIncomplete, result.ExitCode);
        Assert.Contains("refused 2 (replayed 2 time(s) already)", result.Output);
        Assert.Matches(@"Refused: \[\d\] @\d+, \[\d\] @\d+", result.Output);
        Assert.Equal(12, fixture.Read(fixture.Topic).Count);
    }

    [Theory]
    [InlineData("", "Required command was not provided")]
    [InlineData("list --topic orders.dlq", "--bootstrap-servers")]
    [InlineData("list -b localhost:9092 -t orders.dlq --frobnicate", "--frobnicate")]
    [InlineData("list -b localhost -t orders.dlq", "--bootstrap-servers must be host:port")]
    [InlineData("list -b localhost:9092 -t 'orders dlq'", "--topic must be a topic name")]
    [InlineData("list -b localhost:9092 -t orders.dlq --category flaky", "--category must be transient or permanent; got 'flaky'")]
    [InlineData("list -b localhost:9092 -t orders.dlq --since yesterday", "--since must be an ISO 8601 time")]
    [InlineData("list -b localhost:9092 -t orders.dlq --from-offset 9 --to-offset 3", "--to-offset (3) is before --from-offset (9)")]
    [InlineData("list -b localhost:9092 -t orders.dlq --timeout 10", "--timeout must be a number followed by ms, s, m or h")]
    [InlineData("list -b localhost:9092 -t orders.dlq --max 0", "--max must be a whole number from 1 to 1000000")]
    [InlineData("show -b localhost:9092 -t orders.dlq --partition 0", "--offset")]
    [InlineData("replay -b localhost:9092 -t orders.dlq --max-replays 0", "--max-replays must be a whole number from 1 to 1000")]
    [InlineData("replay -b localhost:9092 -t orders.dlq --replay-id 'a b'", "ReplayId must be 1 to 200 characters")]
    [InlineData("replay -b localhost:9092 -t orders.dlq --to-topic orders.dlq", "TargetTopic must name a topic other than the dead-letter topic")]
    public async Task Bad_arguments_exit_2_with_a_message_naming_the_option(string arguments, string expected)
    {
        var result = await RunAsync(arguments);

        Assert.Equal(ExitCodes.BadArguments, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task A_command_config_file_that_is_missing_malformed_or_names_an_unknown_setting_exits_2()
    {
        var directory = Directory.CreateTempSubdirectory("kafka-dlq-");
        try
        {
            var malformed = Path.Combine(directory.FullName, "malformed.properties");
            var unknown = Path.Combine(directory.FullName, "unknown.properties");
            File.WriteAllText(malformed, "# client settings\nsecurity.protocol\n");
            File.WriteAllText(unknown, "security.protocol=PLAINTEXT\nno.such.setting=1\n");

            var missingFile = await RunAsync($"list -b localhost:9092 -t orders.dlq --command-config {Path.Combine(directory.FullName, "absent.properties")}");
            var malformedFile = await RunAsync($"list -b localhost:9092 -t orders.dlq --command-config {malformed}");
            var unknownSetting = await RunAsync($"list -b localhost:9092 -t orders.dlq --command-config {unknown}");

            Assert.Equal((ExitCodes.BadArguments, ExitCodes.BadArguments, ExitCodes.BadArguments), (missingFile.ExitCode, malformedFile.ExitCode, unknownSetting.ExitCode));
            Assert.Contains("cannot read", missingFile.Error);
            Assert.Contains("line 2", malformedFile.Error);
            Assert.Contains("no.such.setting", unknownSetting.Error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_cluster_exits_3_within_the_timeout_and_says_where_it_tried()
    {
        var closedPort = ClosedPort();

        var started = DateTime.UtcNow;
        var result = await RunAsync($"list -b 127.0.0.1:{closedPort} -t orders.dlq --timeout 2s");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains($"Could not reach the Kafka cluster at 127.0.0.1:{closedPort} within 2 s", result.Error);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the timeout was honoured");
    }

    [Fact]
    public async Task A_missing_topic_exits_4()
    {
        using var fixture = new DeadLetterFixture();

        var list = await RunAsync($"list -b {fixture.Cluster.BootstrapServers} -t no-such.dlq");
        var target = await RunAsync($"replay -b {fixture.Cluster.BootstrapServers} -t {fixture.DeadLetterTopic} --to-topic no-such-target");

        Assert.Equal(ExitCodes.NotFound, list.ExitCode);
        Assert.Contains("The dead-letter topic 'no-such.dlq' does not exist", list.Error);
        Assert.Equal(ExitCodes.NotFound, target.ExitCode);
        Assert.Contains("The target topic 'no-such-target' does not exist", target.Error);
    }

    /// <summary>12 dead letters over 2 partitions: ids 1, 4, 7, 10 permanent (FormatException), the rest transient (TimeoutException).</summary>
    private static async Task<DeadLetterFixture> FixtureAsync()
    {
        var fixture = new DeadLetterFixture(partitions: 2);
        await fixture.PublishAsync(0, 12, id => id % 3 == 1
            ? (new FormatException($"order {id} is malformed"), FailureCategory.Permanent)
            : (new TimeoutException($"gateway timed out for {id}"), FailureCategory.Transient));
        return fixture;
    }

    private static List<string> DataLines(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && char.IsDigit(line[0]) && !line.Contains(" listed, ")).ToList();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string commandLine, CancellationToken cancellationToken = default, StringWriter? error = null)
    {
        var stdout = new StringWriter();
        var stderr = error ?? new StringWriter();
        var exitCode = await DeadLetterCommandLine.RunAsync(Split(commandLine), stdout, stderr, cancellationToken);
        output.WriteLine($"$ kafka-dlq {commandLine}\n[exit {exitCode}]\n{stdout}{stderr}");
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Captures the error output and cancels, like Ctrl+C, when a line matches.</summary>
    private sealed class InterruptingWriter(Func<string, bool> interruptAt, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && interruptAt(value))
            {
                interrupt.Cancel();
            }
        }
    }

    /// <summary>Splits like a shell: spaces separate, single quotes group.</summary>
    private static string[] Split(string commandLine)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in commandLine)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            args.Add(current.ToString());
        }

        return args.ToArray();
    }
}
