using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA104: Commit/StoreOffset of a result before the statements that process it.</summary>
public class KAFKA104Tests
{
    private const string Rule = "KAFKA104";

    private static DiagnosticResult Expected(int marker, int processingMarker, string method = "Commit")
        => Diagnostic(Descriptors.KAFKA104_OffsetCommittedBeforeProcessing).WithLocation(marker).WithLocation(processingMarker).WithArguments(method);

    private static string Loop(string body) => $$"""
        public sealed class Worker
        {
            private readonly IConsumer<string, string> _consumer;

            public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

            public async Task RunAsync(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
        {{body}}
                }
            }

            private static void Apply(string value) { }

            private static Task SaveAsync(ConsumeResult<string, string> result, CancellationToken ct) => Task.CompletedTask;
        }
        """;

    [Fact]
    public Task Flags_commit_before_processing()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        {|#0:_consumer.Commit(result)|};
                        {|#1:await SaveAsync(result, ct);|}
            """), Expected(0, 1));

    [Fact]
    public Task Silent_when_only_the_output_task_is_awaited_after_the_commit_which_KAFKA115_reports()
        => VerifyAsync(Rule, """
            public sealed class Enricher
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public Enricher(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                }

                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        var enriched = new Message<string, string> { Value = result.Message.Value.ToUpperInvariant() };
                        var delivery = _producer.ProduceAsync("enriched", enriched, ct);
                        _consumer.Commit(result);
                        Console.WriteLine((await delivery).Offset);
                    }
                }
            }
            """);

    [Fact]
    public Task Flags_store_before_processing_a_derived_value()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        var value = result.Message.Value;
                        {|#0:_consumer.StoreOffset(result)|};
                        {|#1:Apply(value);|}
            """), Expected(0, 1, "StoreOffset"));

    [Fact]
    public Task Flags_argument_less_commit_before_processing()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        {|#0:_consumer.Commit()|};
                        {|#1:Apply(result.Message.Value);|}
            """), Expected(0, 1));

    [Fact]
    public Task Fix_moves_the_commit_after_the_last_processing_statement()
        => VerifyFixAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        // mark it done
                        {|#0:_consumer.Commit(result)|};
                        Apply(result.Message.Key);
                        {|#1:await SaveAsync(result, ct);|}
            """), new[] { Expected(0, 1) }, Loop("""
                        var result = _consumer.Consume(ct);
                        Apply(result.Message.Key);
                        await SaveAsync(result, ct);
                        // mark it done
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task No_fix_when_a_jump_lies_between_the_commit_and_the_processing()
        => VerifyNoFixAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        {|#0:_consumer.Commit(result)|};
                        if (result.Message.Key == "skip") continue;
                        {|#1:Apply(result.Message.Value);|}
            """), new[] { Expected(0, 1) });

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_commit_follows_processing()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        await SaveAsync(result, ct);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_only_logging_follows_the_commit()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        await SaveAsync(result, ct);
                        _consumer.StoreOffset(result);
                        Console.WriteLine($"stored {result.TopicPartitionOffset}");
            """));

    [Fact]
    public Task Silent_when_a_skipped_message_is_committed_in_a_branch()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        if (result.Message.Value is null)
                        {
                            _consumer.Commit(result);
                            continue;
                        }

                        await SaveAsync(result, ct);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_a_later_result_is_processed_after_committing_the_previous_one()
        => VerifyAsync(Rule, Loop("""
                        var first = _consumer.Consume(ct);
                        await SaveAsync(first, ct);
                        _consumer.Commit(first);
                        var second = _consumer.Consume(ct);
                        await SaveAsync(second, ct);
                        _consumer.Commit(second);
            """));

    [Fact]
    public Task Silent_outside_consume_loops()
        => VerifyAsync(Rule, """
            public static class Once
            {
                public static void Take(IConsumer<string, string> consumer, ConsumeResult<string, string> result)
                {
                    consumer.Commit(result);
                    Console.WriteLine(result.Message.Value);
                }
            }
            """);

    // ---- regressions from real code -------------------------------------------------------------

    /// <summary>Streamiz SyncPipeOutput.Read: the committed record is returned to the caller, not processed in the loop.</summary>
    [Fact]
    public Task Silent_when_the_committed_result_is_returned_to_the_caller()
        => VerifyAsync(Rule, """
            public sealed class PipeOutput
            {
                private readonly IConsumer<byte[], byte[]> _consumer;

                public PipeOutput(IConsumer<byte[], byte[]> consumer) => _consumer = consumer;

                public ConsumeResult<byte[], byte[]> Read(CancellationToken token)
                {
                    var count = 0;
                    while (count <= 10 && !token.IsCancellationRequested)
                    {
                        var record = _consumer.Consume(TimeSpan.FromSeconds(1));
                        if (record != null)
                        {
                            _consumer.Commit(record);
                            return record;
                        }

                        Thread.Sleep(100);
                        ++count;
                    }

                    throw new TimeoutException("no record");
                }
            }
            """);

    /// <summary>Streamiz SyncPipeOutput.ReadList: the committed record is collected into the list the method returns.</summary>
    [Fact]
    public Task Silent_when_the_committed_result_is_collected_for_the_caller()
        => VerifyAsync(Rule, """
            public sealed class PipeOutput
            {
                private readonly IConsumer<byte[], byte[]> _consumer;

                public PipeOutput(IConsumer<byte[], byte[]> consumer) => _consumer = consumer;

                public IEnumerable<ConsumeResult<byte[], byte[]>> ReadList(CancellationToken token)
                {
                    var records = new List<ConsumeResult<byte[], byte[]>>();
                    ConsumeResult<byte[], byte[]>? record;
                    do
                    {
                        record = _consumer.Consume(TimeSpan.FromSeconds(1));
                        if (record != null)
                        {
                            _consumer.Commit(record);
                            records.Add(record);
                        }
                    }
                    while (!token.IsCancellationRequested && record != null);
                    return records;
                }
            }
            """);
}
