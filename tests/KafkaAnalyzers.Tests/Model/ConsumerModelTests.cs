using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>The consumer instance model: holders, builds, configuration, ownership, calls, disposal.</summary>
public class ConsumerModelTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Hosting;

        """;

    [Fact]
    public async Task Local_consumer_built_here_is_owned_with_its_configuration_and_calls()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run(CancellationToken ct)
                {
                    var config = new ConsumerConfig { GroupId = "g", EnableAutoOffsetStore = false };
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    var result = consumer.Consume(ct);
                    consumer.StoreOffset(result);
                    consumer.Close();
                }
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.IsAssignableFrom<ILocalSymbol>(instance.Holder);
        Assert.True(instance.IsOwned);
        Assert.False(instance.Escapes);
        Assert.True(instance.Subscribes);
        Assert.False(instance.AssignsManually);
        Assert.NotNull(instance.Config);
        Assert.Equal("false", instance.Config!.Get(ConfigKeys.EnableAutoOffsetStore).Value, ignoreCase: true);
        Assert.Equal(
            new[] { ConsumerMethod.Subscribe, ConsumerMethod.Consume, ConsumerMethod.StoreOffset, ConsumerMethod.Close },
            instance.Calls.Select(c => c.Method));
        Assert.Single(instance.Disposals);
    }

    [Fact]
    public async Task Field_consumer_built_in_the_constructor_is_owned()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service : IDisposable
            {
                private readonly IConsumer<string, string> _consumer;

                public Service()
                {
                    _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" })
                        .SetPartitionsAssignedHandler((c, partitions) => { })
                        .Build();
                }

                public void Dispose()
                {
                    _consumer.Close();
                    _consumer.Dispose();
                }
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.IsAssignableFrom<IFieldSymbol>(instance.Holder);
        Assert.True(instance.IsOwned);
        Assert.NotNull(instance.Builder);
        Assert.NotNull(instance.Config);
        Assert.Single(instance.PartitionHandlers);
        Assert.Single(instance.Disposals);
        Assert.Single(instance.CallsTo(ConsumerMethod.Close));
    }

    [Fact]
    public async Task Injected_consumer_is_not_owned_and_has_no_configuration()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;

                public Service(IConsumer<string, string> consumer) => _consumer = consumer;

                void Poll(CancellationToken ct) => _consumer.Consume(ct);
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.False(instance.IsOwned);
        Assert.Null(instance.Config);
        Assert.Single(instance.CallsTo(ConsumerMethod.Consume));
    }

    [Fact]
    public async Task Parameter_consumer_is_an_instance_that_is_not_owned()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                static void Poll(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    var result = consumer.Consume(ct);
                    consumer.Commit(result);
                }
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.IsAssignableFrom<IParameterSymbol>(instance.Holder);
        Assert.False(instance.IsOwned);
        Assert.Equal(2, instance.Calls.Length);
    }

    [Fact]
    public async Task Local_consumer_passed_to_another_method_escapes_and_is_not_owned()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run()
                {
                    var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
                    Keep(consumer);
                }

                static void Keep(IConsumer<string, string> consumer) { }
            }
            """);

        var built = Assert.Single(analysis.Consumers.Instances, i => !i.Builds.IsEmpty);
        Assert.True(built.Escapes);
        Assert.False(built.IsOwned);
    }

    [Fact]
    public async Task Returned_consumer_has_no_holder_and_is_not_owned()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                IConsumer<string, string> Create() => new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.Null(instance.Holder);
        Assert.False(instance.IsOwned);
        Assert.NotNull(instance.Config);
    }

    [Fact]
    public async Task Manual_assignment_outside_partition_handlers_is_recorded()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run()
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g", EnableAutoCommit = false })
                        .SetPartitionsAssignedHandler((c, partitions) => c.Assign(partitions))
                        .Build();
                    consumer.Assign(new TopicPartitionOffset("t", 0, Offset.Beginning));
                }
            }
            """);

        // The handler's consumer parameter is an instance of its own; the built one assigns outside the handler.
        var instance = Assert.Single(analysis.Consumers.Instances, i => !i.Builds.IsEmpty);
        Assert.True(instance.AssignsManually);
        Assert.False(instance.Subscribes);
    }

    [Fact]
    public async Task Assign_inside_a_partitions_assigned_handler_is_not_manual_assignment()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private IConsumer<string, string>? _consumer;

                void Run()
                {
                    _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" })
                        .SetPartitionsAssignedHandler((c, partitions) => _consumer!.Assign(partitions))
                        .Build();
                    _consumer.Subscribe("t");
                }
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.True(instance.Subscribes);
        Assert.False(instance.AssignsManually);
    }

    [Fact]
    public async Task Conditional_access_calls_reach_the_instance()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service : IDisposable
            {
                private IConsumer<string, string>? _consumer;

                public void Start() => _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();

                public void Dispose()
                {
                    _consumer?.Close();
                    _consumer?.Dispose();
                }
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.True(instance.IsOwned);
        Assert.Single(instance.CallsTo(ConsumerMethod.Close));
        Assert.Single(instance.Disposals);
    }

    [Fact]
    public async Task Configuration_passed_in_leaves_the_instance_without_visible_defaults()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;

                public Service(ConsumerConfig config) => _consumer = new ConsumerBuilder<string, string>(config).Build();
            }
            """);

        var instance = Assert.Single(analysis.Consumers.Instances);
        Assert.True(instance.IsOwned);
        Assert.True(instance.Config is null || instance.Config.Get(ConfigKeys.EnableAutoCommit).Kind == SettingKind.Unknown);
    }
}
