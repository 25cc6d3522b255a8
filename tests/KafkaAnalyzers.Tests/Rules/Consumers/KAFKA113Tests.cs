using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA113: an explicit Commit on a consumer that leaves auto-commit and the automatic offset store on.</summary>
public class KAFKA113Tests
{
    private const string Rule = "KAFKA113";

    private static DiagnosticResult Expected(int marker, int configMarker, string verb = "leaves")
        => Diagnostic(Descriptors.KAFKA113_CommitWithAutoCommitOn).WithLocation(marker).WithLocation(configMarker).WithArguments(verb);

    [Fact]
    public Task Flags_commit_with_default_auto_commit()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = {|#1:new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "g" }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        Handle(result.Message.Value);
                        {|#0:consumer.Commit(result)|};
                    }
                }

                static void Handle(string value) { }
            }
            """, Expected(0, 1));

    [Fact]
    public Task Flags_commit_with_auto_commit_set_to_true()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly IConsumer<string, string> _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", {|#1:EnableAutoCommit = true|}, EnableAutoOffsetStore = true }).Build();

                void Done() => {|#0:_consumer.Commit()|};
            }
            """, Expected(0, 1, "sets"));

    [Fact]
    public Task Fix_turns_auto_commit_off()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = {|#1:new ConsumerConfig { GroupId = "g" }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    {|#0:consumer.Commit(result)|};
                }
            }
            """, new[] { Expected(0, 1) }, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", EnableAutoCommit = false };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    consumer.Commit(result);
                }
            }
            """);

    [Fact]
    public Task Fix_replaces_an_explicit_true()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    {|#1:config.EnableAutoCommit = true|}; // set by the template
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    {|#0:consumer.Commit()|};
                }
            }
            """, new[] { Expected(0, 1) }, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.EnableAutoCommit = false; // set by the template
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Commit();
                }
            }
            """);

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_auto_commit_is_off()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoCommit = false }).Build();
                    consumer.Commit(consumer.Consume(ct));
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_automatic_store_is_off()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoOffsetStore = false }).Build();
                    var result = consumer.Consume(ct);
                    consumer.StoreOffset(result);
                    consumer.Commit();
                }
            }
            """);

    [Fact]
    public Task Silent_when_auto_commit_is_turned_off_with_a_string_key()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new Dictionary<string, string> { ["group.id"] = "g", ["enable.auto.commit"] = "false" };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Commit(consumer.Consume(ct));
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_configuration_passed_in()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;

                public Service(ConsumerConfig config) => _consumer = new ConsumerBuilder<string, string>(config).Build();

                void Done() => _consumer.Commit();
            }
            """);

    [Fact]
    public Task Silent_for_a_commit_in_the_partitions_revoked_handler()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    IConsumer<string, string>? consumer = null;
                    consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" })
                        .SetPartitionsRevokedHandler((c, partitions) => consumer!.Commit())
                        .Build();
                    consumer.Subscribe("t");
                }
            }
            """);

    [Fact]
    public Task Silent_for_an_injected_consumer()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;

                public Service(IConsumer<string, string> consumer) => _consumer = consumer;

                void Done(ConsumeResult<string, string> result) => _consumer.Commit(result);
            }
            """);

    /// <summary>HackCode QuestionService KafkaConsumer: "Commit offset after processing" on a consumer that keeps auto-commit on.</summary>
    [Fact]
    public Task Flags_commit_after_processing_in_a_handler_delegate_wrapper()
        => VerifyAsync(Rule, """
            public class KafkaConsumer
            {
                private readonly IConsumer<Null, string> _consumer;

                public KafkaConsumer(string bootstrapServers, string groupId, string[] topics)
                {
                    var consumerConfig = {|#1:new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId, AutoOffsetReset = AutoOffsetReset.Earliest }|};
                    _consumer = new ConsumerBuilder<Null, string>(consumerConfig).Build();
                    _consumer.Subscribe(topics);
                }

                public async Task ConsumeAsync(Func<string, Task> messageHandler, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var consumeResult = _consumer.Consume(TimeSpan.FromSeconds(5));
                        if (consumeResult is null) continue;
                        await messageHandler(consumeResult.Message.Value);
                        {|#0:_consumer.Commit(consumeResult)|}; // Commit offset after processing
                    }

                    _consumer.Close();
                }
            }
            """, Expected(0, 1));
}
