using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA109: StoreOffset on a consumer whose configuration leaves enable.auto.offset.store on (it throws).</summary>
public class KAFKA109Tests
{
    private const string Rule = "KAFKA109";

    private static DiagnosticResult Expected(int marker, string verb = "leaves")
        => Diagnostic(Descriptors.KAFKA109_StoreOffsetWithAutoStore).WithLocation(marker).WithArguments(verb);

    private static DiagnosticResult Expected(int marker, int configMarker, string verb = "leaves")
        => Expected(marker, verb).WithLocation(configMarker);

    [Fact]
    public Task Flags_store_offset_with_the_default_automatic_store()
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
                        {|#0:consumer.StoreOffset(result)|};
                    }
                }
            }
            """, Expected(0, 1));

    [Fact]
    public Task Flags_store_offset_with_the_automatic_store_set_to_true()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#1:EnableAutoOffsetStore = true|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    {|#0:consumer.StoreOffset(result)|};
                }
            }
            """, Expected(0, 1, "sets"));

    [Fact]
    public Task Flags_store_offset_on_a_field_consumer_built_in_the_constructor()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;

                public Service()
                {
                    var config = {|#1:new Dictionary<string, string> { ["group.id"] = "g", ["bootstrap.servers"] = "b:9092" }|};
                    _consumer = new ConsumerBuilder<string, string>(config).Build();
                }

                public void Done(ConsumeResult<string, string> result) => {|#0:_consumer.StoreOffset(result)|};
            }
            """, Expected(0, 1));

    [Fact]
    public Task Fix_adds_EnableAutoOffsetStore_false_to_the_configuration()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = {|#1:new ConsumerConfig
                    {
                        BootstrapServers = "b:9092", // from the platform team
                        GroupId = "g",
                    }|};
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    {|#0:consumer.StoreOffset(result)|};
                }
            }
            """, new[] { Expected(0, 1) }, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "b:9092", // from the platform team
                        GroupId = "g",
                        EnableAutoOffsetStore = false,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    consumer.StoreOffset(result);
                }
            }
            """);

    [Fact]
    public Task Fix_replaces_an_explicit_true_and_Fix_All_edits_it_once_for_two_calls()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", {|#2:EnableAutoOffsetStore = true|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var first = consumer.Consume(ct);
                    {|#0:consumer.StoreOffset(first)|};
                    var second = consumer.Consume(ct);
                    {|#1:consumer.StoreOffset(second)|};
                }
            }
            """, new[] { Expected(0, 2, "sets"), Expected(1, 2, "sets") }, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", EnableAutoOffsetStore = false };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var first = consumer.Consume(ct);
                    consumer.StoreOffset(first);
                    var second = consumer.Consume(ct);
                    consumer.StoreOffset(second);
                }
            }
            """);

    [Fact]
    public Task Fix_sets_the_string_key_in_a_dictionary()
        => VerifyFixAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new Dictionary<string, string> { { "group.id", "g" }, {|#1:{ "enable.auto.offset.store", "true" }|} };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    {|#0:consumer.StoreOffset(result)|};
                }
            }
            """, new[] { Expected(0, 1, "sets") }, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new Dictionary<string, string> { { "group.id", "g" }, { "enable.auto.offset.store", "false" } };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var result = consumer.Consume(ct);
                    consumer.StoreOffset(result);
                }
            }
            """);

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_the_official_at_least_once_configuration()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig
                    {
                        BootstrapServers = "b:9092",
                        GroupId = "g",
                        EnableAutoOffsetStore = false,
                        EnableAutoCommit = true,
                        AutoOffsetReset = AutoOffsetReset.Earliest,
                        EnablePartitionEof = true,
                    };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("t");
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        if (result.IsPartitionEOF) continue;
                        try { consumer.StoreOffset(result); }
                        catch (KafkaException e) { Console.WriteLine(e.Error.Reason); }
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_store_is_turned_off_with_a_string_key()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    config.Set("enable.auto.offset.store", "false");
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.StoreOffset(consumer.Consume(ct));
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_configuration_comes_from_a_parameter()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(ConsumerConfig config, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.StoreOffset(consumer.Consume(ct));
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_configuration_is_bound_from_configuration()
        => VerifyAsync(Rule, """
            using Microsoft.Extensions.Configuration;

            class Service
            {
                void Run(IConfiguration configuration, CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    configuration.GetSection("Kafka").Bind(config);
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.StoreOffset(consumer.Consume(ct));
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_store_setting_is_written_on_some_paths_only()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(bool manual, CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g" };
                    if (manual)
                    {
                        config.EnableAutoOffsetStore = false;
                    }

                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.StoreOffset(consumer.Consume(ct));
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

                public void Done(ConsumeResult<string, string> result) => _consumer.StoreOffset(result);
            }
            """);

    [Fact]
    public Task Silent_for_a_consumer_from_a_factory_method()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    using var consumer = Create();
                    consumer.StoreOffset(consumer.Consume(ct));
                }

                static IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoOffsetStore = false }).Build();
            }
            """);

    [Fact]
    public Task Silent_for_commit_calls()
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
}
