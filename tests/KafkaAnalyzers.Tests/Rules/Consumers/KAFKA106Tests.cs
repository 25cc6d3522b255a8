using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA106: a subscribed consumer with auto-commit off that nothing in the type commits.</summary>
public class KAFKA106Tests
{
    private const string Rule = "KAFKA106";

    private static DiagnosticResult Expected(int marker, string type = "Service")
        => Diagnostic(Descriptors.KAFKA106_ManualCommitThatNeverCommits).WithLocation(marker).WithArguments(type);

    [Fact]
    public Task Flags_subscribed_consumer_that_never_commits()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#0:EnableAutoCommit = false|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        var result = consumer.Consume(ct);
                        Handle(result.Message.Value);
                    }

                    consumer.Close();
                }

                static void Handle(string value) { }
            }
            """, Expected(0));

    [Fact]
    public Task Flags_field_consumer_with_the_string_key()
        => VerifyAsync(Rule, """
            class Projection
            {
                private readonly IConsumer<string, string> _consumer;

                public Projection()
                {
                    var config = new Dictionary<string, string> { ["group.id"] = "projection", {|#0:["enable.auto.commit"] = "false"|} };
                    _consumer = new ConsumerBuilder<string, string>(config).Build();
                    _consumer.Subscribe("stock");
                }

                public string? Next() => _consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value;
            }
            """, Expected(0, "Projection"));

    [Fact]
    public Task Flags_consumer_that_only_stores_offsets_with_auto_commit_off()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#0:EnableAutoCommit = false|}, EnableAutoOffsetStore = false };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        consumer.StoreOffset(result);
                    }
                }
            }
            """, Expected(0));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_type_commits()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoCommit = false }).Build();
                    consumer.Subscribe("orders");
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        consumer.Commit(result);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_manual_assign_consumers_that_never_commit_on_purpose()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", EnableAutoCommit = false };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Assign(new TopicPartitionOffset("orders", 0, Offset.Beginning));
                    while (true)
                    {
                        consumer.Consume(ct);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_exactly_once_code_that_sends_offsets_to_the_transaction()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(IProducer<string, string> producer, CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", EnableAutoCommit = false, IsolationLevel = IsolationLevel.ReadCommitted };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("in");
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        producer.BeginTransaction();
                        producer.Produce("out", result.Message);
                        producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset(result.TopicPartition, result.Offset + 1) }, consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(10));
                        producer.CommitTransaction();
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_a_partitions_revoked_handler_commits()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoCommit = false })
                        .SetPartitionsRevokedHandler((c, partitions) => c.Commit())
                        .Build();
                    consumer.Subscribe("orders");
                    while (true)
                    {
                        consumer.Consume(ct);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_throwaway_group_read_from_the_beginning()
        => VerifyAsync(Rule, """
            class CacheLoader
            {
                void Load(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "cache-" + Guid.NewGuid(), EnableAutoCommit = false, AutoOffsetReset = AutoOffsetReset.Earliest };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("reference-data");
                    while (consumer.Consume(TimeSpan.FromSeconds(1)) is { } result)
                    {
                        Console.WriteLine(result.Message.Key);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_consumer_is_handed_to_another_type()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(Func<IConsumer<string, string>, Task> loop)
                {
                    var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoCommit = false }).Build();
                    consumer.Subscribe("orders");
                    _ = loop(consumer);
                }
            }
            """);

    [Fact]
    public Task Silent_when_auto_commit_is_on()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
                    consumer.Subscribe("orders");
                    consumer.Consume(ct);
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_auto_commit_setting_is_unknown()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(bool commit, CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.EnableAutoCommit = commit;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    consumer.Consume(ct);
                }
            }
            """);
}
