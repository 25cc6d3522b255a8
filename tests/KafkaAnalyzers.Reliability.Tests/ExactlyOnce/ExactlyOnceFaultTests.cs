using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.ExactlyOnce;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.ExactlyOnce;

public sealed class ExactlyOnceFaultTests(ITestOutputHelper output)
{
    private const int Inputs = 10_000;
    private const int Partitions = 4;
    private const int Kills = 5;

    /// <summary>
    /// 10,000 inputs through a processor killed without Close() five times at random moments and restarted (same
    /// instance id), with transaction-coordinator errors (EndTxn, AddPartitionsToTxn, TxnOffsetCommit), produce errors
    /// that make transactions abortable, and a broker outage. Every input's output is committed exactly once, in
    /// per-partition order; the outputs of aborted and abandoned transactions are in the log as well, where a
    /// read_uncommitted reader sees them.
    /// </summary>
    /// <remarks>
    /// At least one aborted transaction has its outputs in the log by construction: the first fault ends with an EndTxn
    /// UNKNOWN_SERVER_ERROR, which librdkafka makes abortable, and EndTxn(commit) is only sent after the commit flushed
    /// every output (rd_kafka_commit_transaction). The produce errors and the kills do not guarantee it (a refused
    /// produce writes nothing; a kill may come before anything was sent): relying on them failed about 1 run in 6.
    /// </remarks>
    [Fact]
    public async Task Every_input_is_committed_exactly_once_in_order_through_kills_coordinator_errors_and_a_broker_outage()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("eos-in", Partitions);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, Partitions, replicationFactor: 3);
        var group = "eos-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, Inputs).Select(i => ConsumerTestKit.Message($"k{i % 64}", i.ToString(), i.ToString())));

        var mirror = new ExactlyOnceKit();
        long nextAttempt = 0;
        var latestAttempt = new ConcurrentDictionary<TopicPartitionOffset, long>();
        var committedAttempts = new ConcurrentDictionary<long, TopicPartitionOffset>();
        var committedInputs = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var failedOnce = new ConcurrentDictionary<int, byte>();
        var random = new Random(1313);
        var injected = new List<string>();

        Task<IEnumerable<OutputMessage<string, string>>> Handle(ConsumeResult<string, string> message, CancellationToken token)
        {
            var attempt = Interlocked.Increment(ref nextAttempt);
            latestAttempt[message.TopicPartitionOffset] = attempt;
            var id = int.Parse(message.Message.Value);
            if (id % 500 == 7)
            {
                throw new FormatException($"input {id} is malformed");
            }

            if (id % 300 == 11 && failedOnce.TryAdd(id, 0))
            {
                throw new TimeoutException($"input {id}: downstream timed out once");
            }

            var headers = new Headers
            {
                { "attempt", Encoding.UTF8.GetBytes(attempt.ToString()) },
                { "input", Encoding.UTF8.GetBytes($"{message.Partition.Value}:{message.Offset.Value}") },
            };
            return Task.FromResult<IEnumerable<OutputMessage<string, string>>>([OutputMessage<string, string>.To(outputTopic, message.Message.Key, "out-" + id, headers)]);
        }

        ExactlyOnceProcessor<string, string, string, string> StartInstance()
        {
            var processor = new ExactlyOnceProcessor<string, string, string, string>(ExactlyOnceKit.Options(kit, input, group, "instance-0"), Handle, loggerFactory: kit.Logs.Factory);
            mirror.Attach(processor, inputs =>
            {
                foreach (var tpo in inputs)
                {
                    committedAttempts[latestAttempt[tpo]] = tpo;
                    committedInputs.AddOrUpdate(tpo, 1, (_, count) => count + 1);
                }
            });
            processor.Start();
            return processor;
        }

        var faults = new Action[]
        {
            // The three retriable errors delay a commit; UNKNOWN_SERVER_ERROR then fails a commit after its flush, so that
            // transaction is aborted with its outputs written. No abort can take it first: none happens before run 1's
            // faults, and run 1 injects them only after 300 more inputs committed (each commit sends an EndTxn).
            () => { kit.Cluster.PushRequestErrors(KafkaApi.EndTxn, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.ConcurrentTransactions, ErrorCode.Unknown); injected.Add("EndTxn: NotCoordinator, CoordinatorNotAvailable, ConcurrentTransactions, UnknownServerError (abortable, after the flush)"); },
            () => { kit.Cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.PolicyViolation, ErrorCode.PolicyViolation); injected.Add("Produce: PolicyViolation x2 (abortable)"); },
            () => { kit.Cluster.PushRequestErrors(KafkaApi.AddPartitionsToTxn, ErrorCode.ConcurrentTransactions, ErrorCode.GroupLoadInProgress); kit.Cluster.PushRequestErrors(KafkaApi.TxnOffsetCommit, ErrorCode.NotCoordinatorForGroup); injected.Add("AddPartitionsToTxn: ConcurrentTransactions, CoordinatorLoadInProgress; TxnOffsetCommit: NotCoordinator"); },
            () => { kit.Cluster.PushRequestErrors(KafkaApi.AddOffsetsToTxn, ErrorCode.GroupCoordinatorNotAvailable); kit.Cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.PolicyViolation); injected.Add("AddOffsetsToTxn: CoordinatorNotAvailable; Produce: PolicyViolation"); },
            () => { kit.Cluster.SetBrokerDown(2); Thread.Sleep(2_000); kit.Cluster.SetBrokerUp(2); injected.Add("broker 2 down for 2 s"); },
        };

        for (var run = 0; run < Kills; run++)
        {
            var processor = StartInstance();
            var before = committedInputs.Count;
            await ConsumerTestKit.WaitUntil(() => committedInputs.Count >= Math.Min(Inputs, before + 300), $"run {run} commits some inputs", () => $"{committedInputs.Count} committed");
            faults[run]();
            await Task.Delay(random.Next(50, 800));
            processor.Kill();
            try
            {
                await processor.Completion.WaitAsync(ConsumerTestKit.Patience);
            }
            catch (TimeoutException stuck)
            {
                // Seen once in a full-suite run at load ~16 (run 4, after the broker outage, no processor log for 60 s):
                // say where the processor's thread was, to tell the test's mirror from the processor.
                throw new TimeoutException(
                    $"run {run}: the killed processor did not finish within {ConsumerTestKit.Patience.TotalSeconds} s after '{injected[^1]}' " +
                    $"(state {processor.GetStatus().State}; its thread is {processor.DescribeClientCall()}; {mirror.DescribeMirror()}; {committedInputs.Count} inputs committed)",
                    stuck);
            }
        }

        var last = StartInstance();
        await ConsumerTestKit.WaitUntil(() => committedInputs.Count == Inputs, "every input is committed", () => $"{committedInputs.Count} of {Inputs}", TimeSpan.FromMinutes(3));
        await last.StopAsync().WaitAsync(ConsumerTestKit.Patience);
        Assert.True(last.Completion.IsCompletedSuccessfully);

        var uncommitted = ExactlyOnceKit.ReadAll(kit, outputTopic, Partitions, IsolationLevel.ReadUncommitted);
        var readCommitted = ExactlyOnceKit.ReadAll(kit, outputTopic, Partitions, IsolationLevel.ReadCommitted);
        long AttemptOf(ConsumeResult<byte[], byte[]> record) => long.Parse(ExactlyOnceKit.Header(record.Message.Headers, "attempt"));
        var committedView = uncommitted.Where(record => committedAttempts.ContainsKey(AttemptOf(record))).ToList();
        var poison = Enumerable.Range(0, Inputs).Count(id => id % 500 == 7);
        var aborts = kit.Logs.Count(1302);
        output.WriteLine($"inputs {Inputs}, kills {Kills}, injected: {string.Join(" | ", injected)}; aborted transactions {aborts}; " +
            $"read_uncommitted {uncommitted.Count} outputs, read_committed {readCommitted.Count}, committed transactions' outputs {committedView.Count}, dead-lettered inputs {poison}");

        // No input was committed twice, and every committed transaction was told once per input.
        Assert.All(committedInputs.Values, count => Assert.Equal(1, count));

        // The committed transactions hold each healthy input's output exactly once.
        var outputsByInput = committedView.GroupBy(record => ExactlyOnceKit.Header(record.Message.Headers, "input")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Inputs - poison, outputsByInput.Count);
        Assert.All(outputsByInput.Values, count => Assert.Equal(1, count));
        Assert.Equal(Inputs - poison, committedView.Count);

        // In per-partition order: within an output partition, the outputs of one input partition follow its offsets.
        foreach (var outputPartition in committedView.GroupBy(record => record.Partition.Value))
        {
            foreach (var fromInput in outputPartition.Select(record => ExactlyOnceKit.Header(record.Message.Headers, "input").Split(':')).GroupBy(parts => parts[0]))
            {
                var offsets = fromInput.Select(parts => long.Parse(parts[1])).ToList();
                Assert.Equal(offsets.Order(), offsets);
            }
        }

        // Every output in the log comes from a handler call, and the aborted and abandoned transactions' outputs are there too:
        // a reader that does not filter them sees more than the committed transactions hold.
        Assert.All(uncommitted, record => Assert.True(AttemptOf(record) <= Interlocked.Read(ref nextAttempt)));
        Assert.True(uncommitted.Count > committedView.Count, $"read_uncommitted sees the aborted outputs too ({uncommitted.Count} vs {committedView.Count})");
        Assert.True(aborts > 0, "the injected errors aborted transactions");

        // librdkafka 2.16's mock answers Fetch with LastStableOffset = high watermark and no aborted transactions, so a
        // read_committed reader cannot filter aborted outputs on it (KAFKA_FACTS.md): on the mock it sees what
        // read_uncommitted sees. If this fails, the mock filters now: assert read_committed == committedView instead.
        Assert.Equal(uncommitted.Count, readCommitted.Count);

        // Each malformed input was dead-lettered (inside a transaction), and only those.
        var deadLettered = ExactlyOnceKit.ReadAll(kit, input + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, Partitions, IsolationLevel.ReadUncommitted)
            .Select(record => int.Parse(ConsumerTestKit.IdOf(record.Message.Headers)))
            .ToHashSet();
        Assert.Equal(Enumerable.Range(0, Inputs).Where(id => id % 500 == 7).ToHashSet(), deadLettered);
    }
}
