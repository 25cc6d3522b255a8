using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.ExactlyOnce;
using KafkaAnalyzers.Reliability.Health;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Consuming;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.ExactlyOnce;

public sealed class ExactlyOnceProcessorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Outputs_and_dead_letters_commit_with_the_offsets_and_the_health_check_follows_the_processor()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("eos-basic", 2);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 2, replicationFactor: 3);
        var group = "eos-basic-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, 50).Select(i => ConsumerTestKit.Message($"k{i % 5}", i.ToString(), i.ToString())));
        var committed = 0;
        var processor = new ExactlyOnceProcessor<string, string, string, string>(
            ExactlyOnceKit.Options(kit, input, group, "basic"),
            (message, _) => message.Message.Value == "13"
                ? throw new FormatException("13 is malformed")
                : Task.FromResult<IEnumerable<OutputMessage<string, string>>>([
                    OutputMessage<string, string>.To(outputTopic, message.Message.Key, "a" + message.Message.Value),
                    OutputMessage<string, string>.To(outputTopic, message.Message.Key, "b" + message.Message.Value)]),
            loggerFactory: kit.Logs.Factory);
        new ExactlyOnceKit().Attach(processor, inputs => Interlocked.Add(ref committed, inputs.Count));
        var check = new KafkaConsumerHealthCheck(processor);
        Assert.Equal(HealthStatus.Degraded, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal($"{group}-basic", processor.TransactionalId);

        processor.Start();
        await ConsumerTestKit.WaitUntil(() => Volatile.Read(ref committed) == 50, "every input is committed", () => $"{committed}");
        await ConsumerTestKit.WaitUntil(() => processor.GetStatus().TotalLag == 0 && processor.GetStatus().Lag.Count == 2, "the lag is known and zero");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        await processor.StopAsync();
        Assert.True(processor.Completion.IsCompletedSuccessfully);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        var outputs = ExactlyOnceKit.ReadAll(kit, outputTopic, 2, IsolationLevel.ReadCommitted);
        Assert.Equal(98, outputs.Count);
        var deadLetters = ExactlyOnceKit.ReadAll(kit, input + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix, 2, IsolationLevel.ReadCommitted);
        var deadLetter = Assert.Single(deadLetters);
        var metadata = DeadLetterMetadata.Read(deadLetter.Message.Headers);
        Assert.Equal(FailureCategory.Permanent, metadata.Category);
        Assert.Equal(group, metadata.ConsumerGroup);
        Assert.Equal("13", Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Equal(kit.EndOffsets(input, 2), kit.CommittedOffsets(group, input, 2));
    }

    [Fact]
    public async Task A_fenced_producer_stops_the_processor_loudly()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("eos-fenced", 1);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 1, replicationFactor: 3);
        var group = "eos-fenced-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, 20).Select(i => ConsumerTestKit.Message("k", i.ToString(), i.ToString())));
        var handled = 0;
        var processor = new ExactlyOnceProcessor<string, string, string, string>(
            ExactlyOnceKit.Options(kit, input, group, "fenced"),
            (message, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.FromResult<IEnumerable<OutputMessage<string, string>>>([OutputMessage<string, string>.To(outputTopic, message.Message.Key, message.Message.Value)]);
            },
            loggerFactory: kit.Logs.Factory);
        kit.Cluster.PushRequestErrors(KafkaApi.EndTxn, ErrorCode.ProducerFenced);

        processor.Start();
        var failure = await Assert.ThrowsAnyAsync<KafkaException>(() => processor.Completion.WaitAsync(ConsumerTestKit.Patience));

        Assert.True(failure.Error.IsFatal, $"{failure.Error.Code}: {failure.Error.Reason}");
        Assert.Contains(kit.Logs.Entries, entry => entry.EventId == 1304 && entry.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        var status = await new KafkaConsumerHealthCheck(processor).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, status.Status);
        Assert.Equal("Faulted", status.Data["state"]);
        Assert.True(Volatile.Read(ref handled) > 0);
    }

    /// <summary>
    /// EndTxn(commit) fails with an error librdkafka treats as abortable (UNKNOWN_SERVER_ERROR falls in its "permanent"
    /// branch), after the commit flushed the outputs: the transaction is aborted with its outputs in the log. The abort's
    /// own EndTxn fails the same way, which librdkafka reports as "requires abort" and answers by moving the transaction
    /// back to begin-abort so the abort can be called again (rdkafka_txnmgr.c, rd_kafka_txn_handle_EndTxn).
    /// </summary>
    [Fact]
    public async Task An_abort_that_fails_with_an_abortable_error_is_called_again_and_the_batch_commits_once()
    {
        using var kit = new ConsumerTestKit(output);
        var input = kit.CreateTopic("eos-abort-again", 1);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 1, replicationFactor: 3);
        var group = "eos-abort-again-" + Guid.NewGuid().ToString("N");
        kit.Produce(input, Enumerable.Range(0, 20).Select(i => ConsumerTestKit.Message("k", i.ToString(), i.ToString())));
        var committed = 0;
        var processor = new ExactlyOnceProcessor<string, string, string, string>(
            ExactlyOnceKit.Options(kit, input, group, "abort-again"),
            (message, _) => Task.FromResult<IEnumerable<OutputMessage<string, string>>>([OutputMessage<string, string>.To(outputTopic, message.Message.Key, message.Message.Value)]),
            loggerFactory: kit.Logs.Factory);
        new ExactlyOnceKit().Attach(processor, inputs => Interlocked.Add(ref committed, inputs.Count));
        kit.Cluster.PushRequestErrors(KafkaApi.EndTxn, ErrorCode.Unknown, ErrorCode.Unknown);

        processor.Start();
        await ConsumerTestKit.WaitUntil(() => Volatile.Read(ref committed) == 20 || processor.Completion.IsCompleted, "every input is committed", () => $"{committed}");
        Assert.False(processor.Completion.IsCompleted, $"the processor stopped: {processor.Completion.Exception?.InnerException}");
        await processor.StopAsync();
        Assert.True(processor.Completion.IsCompletedSuccessfully);

        Assert.Equal(20, Volatile.Read(ref committed));
        Assert.Contains(kit.Logs.Entries, entry => entry.EventId == 1302 && entry.Message.Contains("abortable_error", StringComparison.Ordinal));
        var outputs = ExactlyOnceKit.ReadAll(kit, outputTopic, 1, IsolationLevel.ReadUncommitted).Select(record => Encoding.UTF8.GetString(record.Message.Value)).ToList();
        Assert.True(outputs.Count > 20, $"the aborted transaction's flushed outputs are in the log too ({outputs.Count} outputs)");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString()), outputs.Skip(outputs.Count - 20));
    }

    /// <summary>
    /// The group coordinator goes down (and stays down) while the transaction coordinator and the partition leaders
    /// stay up: librdkafka's SendOffsetsToTransaction then blocks far past its timeout (confluentinc/librdkafka#5456;
    /// seen in the exactly-once fault test after a 2 s outage). The processor gives up on the call after twice its
    /// timeout and stops loudly, rather than hang with its partitions assigned.
    /// </summary>
    [Fact]
    public async Task A_transaction_call_stuck_past_its_timeout_stops_the_processor_loudly()
    {
        using var kit = new ConsumerTestKit(output);
        var (processor, committed) = await StartWithTheGroupCoordinatorGoingDown(kit, "eos-stuck");

        await ConsumerTestKit.WaitUntil(
            () => kit.Logs.Entries.Any(entry => entry.EventId == 1304) || processor.Completion.IsCompleted,
            "the processor gives up on the stuck call",
            () => $"its thread is {processor.DescribeClientCall()}");
        kit.Cluster.SetBrokerUp(3);

        var failure = await Assert.ThrowsAnyAsync<TimeoutException>(() => processor.Completion.WaitAsync(ConsumerTestKit.Patience));
        Assert.Contains("SendOffsetsToTransaction did not return within 4 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains(kit.Logs.Entries, entry => entry.EventId == 1304 && entry.Level == Microsoft.Extensions.Logging.LogLevel.Critical && entry.Message.Contains("stuck", StringComparison.Ordinal));
        Assert.Equal(100, committed());
        Assert.Equal(KafkaConsumerState.Faulted, processor.GetStatus().State);
    }

    /// <summary>The fault test's path: a processor killed while a transaction call is stuck finishes once it gives the call up.</summary>
    [Fact]
    public async Task A_processor_killed_while_a_transaction_call_is_stuck_finishes()
    {
        using var kit = new ConsumerTestKit(output);
        var (processor, committed) = await StartWithTheGroupCoordinatorGoingDown(kit, "eos-stuck-kill");
        await ConsumerTestKit.WaitUntil(
            () => processor.DescribeClientCall().StartsWith("in SendOffsetsToTransaction", StringComparison.Ordinal),
            "the processor is in SendOffsetsToTransaction",
            () => $"its thread is {processor.DescribeClientCall()}");

        processor.Kill();

        await processor.Completion.WaitAsync(ConsumerTestKit.Patience);
        Assert.True(processor.Completion.IsCompletedSuccessfully);
        Assert.Contains(kit.Logs.Entries, entry => entry.EventId == 1306);
        Assert.DoesNotContain(kit.Logs.Entries, entry => entry.EventId == 1304);
        Assert.Equal(100, committed());
        kit.Cluster.SetBrokerUp(3);
    }

    /// <summary>
    /// Starts a processor whose group coordinator is broker 3 (transaction coordinator and partition leaders elsewhere),
    /// lets it commit 100 inputs, then takes broker 3 down for good and produces 100 more.
    /// </summary>
    private static async Task<(ExactlyOnceProcessor<string, string, string, string> Processor, Func<int> Committed)> StartWithTheGroupCoordinatorGoingDown(ConsumerTestKit kit, string name)
    {
        var input = kit.CreateTopic(name, 1);
        var outputTopic = input + "-out";
        kit.Cluster.CreateTopic(outputTopic, 1, replicationFactor: 3);
        kit.Cluster.SetPartitionLeader(input, 0, 1);
        kit.Cluster.SetPartitionLeader(outputTopic, 0, 1);
        var group = name + "-" + Guid.NewGuid().ToString("N");
        var options = ExactlyOnceKit.Options(kit, input, group, "stuck");
        options.TransactionCallTimeout = TimeSpan.FromSeconds(2);
        kit.Cluster.SetGroupCoordinator(group, 3);
        kit.Cluster.SetTransactionCoordinator(options.TransactionalId, 2);
        kit.Produce(input, Enumerable.Range(0, 100).Select(i => ConsumerTestKit.Message("k", i.ToString(), i.ToString())));
        var committed = 0;
        var processor = new ExactlyOnceProcessor<string, string, string, string>(
            options,
            (message, _) => Task.FromResult<IEnumerable<OutputMessage<string, string>>>([OutputMessage<string, string>.To(outputTopic, message.Message.Key, message.Message.Value)]),
            loggerFactory: kit.Logs.Factory);
        new ExactlyOnceKit().Attach(processor, inputs => Interlocked.Add(ref committed, inputs.Count));
        processor.Start();
        await ConsumerTestKit.WaitUntil(() => Volatile.Read(ref committed) == 100, "the first inputs are committed", () => $"{committed}");

        kit.Cluster.SetBrokerDown(3);
        kit.Produce(input, Enumerable.Range(100, 100).Select(i => ConsumerTestKit.Message("k", i.ToString(), i.ToString())));
        return (processor, () => Volatile.Read(ref committed));
    }

    [Fact]
    public void Invalid_settings_are_refused_naming_each_one()
    {
        var options = new ExactlyOnceProcessorOptions
        {
            Consumer = new ConsumerConfig { BootstrapServers = "localhost:9092", GroupId = "g", EnableAutoCommit = true, IsolationLevel = IsolationLevel.ReadUncommitted },
            Producer = new ProducerConfig { BootstrapServers = "localhost:9092", TransactionalId = "mine" },
            Topics = { "orders" },
            MaxBatchSize = 0,
        };

        var error = Assert.Throws<ArgumentException>(() => new ExactlyOnceProcessor<string, string, string, string>(options, (_, _) => Task.FromResult<IEnumerable<OutputMessage<string, string>>>([])));

        Assert.Contains("ExactlyOnceProcessorOptions.InstanceId", error.Message, StringComparison.Ordinal);
        Assert.Contains("enable.auto.commit", error.Message, StringComparison.Ordinal);
        Assert.Contains("read_uncommitted", error.Message, StringComparison.Ordinal);
        Assert.Contains("transactional.id", error.Message, StringComparison.Ordinal);
        Assert.Contains("ExactlyOnceProcessorOptions.MaxBatchSize", error.Message, StringComparison.Ordinal);
    }
}
