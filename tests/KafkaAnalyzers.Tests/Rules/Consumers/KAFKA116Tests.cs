using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA116: Assign on a consumer that subscribed, outside a partition handler.</summary>
public class KAFKA116Tests
{
    private const string Rule = "KAFKA116";

    private const string SeekHint = "; Seek moves this one partition and keeps the others";

    private static DiagnosticResult Expected(int marker, string consumer = "_consumer", bool seek = true)
        => Diagnostic(Descriptors.KAFKA116_AssignOnSubscribedConsumer).WithLocation(marker).WithArguments(consumer, seek ? SeekHint : string.Empty);

    private static string Service(string members, string builder = "") => $$"""
        public sealed class OrderReader : IDisposable
        {
            private readonly IConsumer<string, string> _consumer;

            public OrderReader(ConsumerConfig config)
            {
                _consumer = new ConsumerBuilder<string, string>(config){{builder}}.Build();
            }

            public void Start() => _consumer.Subscribe("orders");

        {{members}}

            public void Dispose() => _consumer.Close();
        }
        """;

    [Fact]
    public Task Flags_rewinding_one_partition_with_assign()
        => VerifyAsync(Rule, Service("""
                public void Rewind(TopicPartition partition, Offset offset)
                {
                    {|#0:_consumer.Assign(new TopicPartitionOffset(partition, offset))|};
                }
            """), Expected(0));

    [Fact]
    public Task Flags_assigning_a_list_of_offsets()
        => VerifyAsync(Rule, Service("""
                public void Replay(string topic)
                {
                    {|#0:_consumer.Assign(new List<TopicPartitionOffset> { new(topic, 0, Offset.Beginning), new(topic, 1, Offset.Beginning) })|};
                }
            """), Expected(0, seek: false));

    [Fact]
    public Task Flags_assigning_one_partition()
        => VerifyAsync(Rule, Service("""
                public void Focus(string topic) => {|#0:_consumer.Assign(new TopicPartition(topic, 3))|};
            """), Expected(0, seek: false));

    [Fact]
    public Task Flags_subscribe_then_assign_in_one_method()
        => VerifyAsync(Rule, """
            public static class Replayer
            {
                public static void Run(ConsumerConfig config, TopicPartitionOffset from, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("audit");
                    {|#0:consumer.Assign(from)|};
                    while (!ct.IsCancellationRequested)
                    {
                        var result = consumer.Consume(ct);
                        Console.WriteLine(result.Message.Value);
                    }

                    consumer.Close();
                }
            }
            """, Expected(0, "consumer"));

    [Fact]
    public Task Flags_assign_inside_the_consume_loop()
        => VerifyAsync(Rule, Service("""
                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        if (result.Message.Value == "replay")
                        {
                            {|#0:_consumer.Assign(new TopicPartitionOffset(result.TopicPartition, Offset.Beginning))|};
                        }
                    }
                }
            """), Expected(0));

    [Fact]
    public Task Fix_seeks_instead_of_assigning_one_offset()
        => VerifyFixAsync(Rule, Service("""
                public void Rewind(TopicPartition partition, Offset offset)
                {
                    // go back to the offset the operator asked for
                    {|#0:_consumer.Assign(new TopicPartitionOffset(partition, offset))|}; // not the whole set
                }
            """), new[] { Expected(0) }, Service("""
                public void Rewind(TopicPartition partition, Offset offset)
                {
                    // go back to the offset the operator asked for
                    _consumer.Seek(new TopicPartitionOffset(partition, offset)); // not the whole set
                }
            """));

    [Fact]
    public Task Fix_all_seeks_every_single_offset_assign()
        => VerifyFixAsync(Rule, Service("""
                public void Rewind(TopicPartitionOffset offset) => {|#0:_consumer.Assign(offset)|};

                public void Restart(string topic) => {|#1:_consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning))|};
            """), new[] { Expected(0), Expected(1) }, Service("""
                public void Rewind(TopicPartitionOffset offset) => _consumer.Seek(offset);

                public void Restart(string topic) => _consumer.Seek(new TopicPartitionOffset(topic, 0, Offset.Beginning));
            """));

    [Fact]
    public Task No_fix_for_a_list()
        => VerifyNoFixAsync(Rule, Service("""
                public void Replay(List<TopicPartitionOffset> offsets) => {|#0:_consumer.Assign(offsets)|};
            """), new[] { Expected(0, seek: false) });

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_in_a_partitions_assigned_handler_lambda()
        => VerifyAsync(Rule, Service("", builder: """

                    .SetPartitionsAssignedHandler((c, partitions) => c.Assign(partitions))
            """));

    [Fact]
    public Task Silent_when_the_field_is_assigned_in_a_handler_lambda()
        => VerifyAsync(Rule, Service("", builder: """

                    .SetPartitionsRevokedHandler((c, partitions) => _consumer.Assign(new List<TopicPartition>()))
            """));

    [Fact]
    public Task Silent_in_a_handler_method_group()
        => VerifyAsync(Rule, "using System.Linq;\n" + Service("""
                private void OnAssigned(IConsumer<string, string> consumer, List<TopicPartition> partitions)
                {
                    _consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
                }
            """, builder: """

                    .SetPartitionsAssignedHandler(OnAssigned)
            """));

    [Fact]
    public Task Silent_for_a_manual_assignment_consumer()
        => VerifyAsync(Rule, """
            public static class PartitionReader
            {
                public static void Read(ConsumerConfig config, string topic, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
                    consumer.Assign(new TopicPartitionOffset(topic, 1, Offset.Beginning));
                    while (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine(consumer.Consume(ct).Message.Value);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_reassigning_the_current_assignment()
        => VerifyAsync(Rule, Service("""
                public void RewindToCommitted() => _consumer.Assign(_consumer.Assignment);
            """));

    [Fact]
    public Task Silent_when_projecting_the_current_assignment_to_stored_offsets()
        => VerifyAsync(Rule, "using System.Linq;\n" + Service("""
                public void RewindToCommitted()
                {
                    _consumer.Assign(_consumer.Assignment.Select(p => new TopicPartitionOffset(p, Offset.Stored)));
                }
            """));

    [Fact]
    public Task Silent_when_a_local_holds_the_current_assignment()
        => VerifyAsync(Rule, "using System.Linq;\n" + Service("""
                public void RewindToCommitted()
                {
                    var current = _consumer.Assignment;
                    var rewound = current.Select(p => new TopicPartitionOffset(p, Offset.Stored)).ToList();
                    _consumer.Assign(rewound);
                }
            """));

    [Fact]
    public Task Silent_when_one_mode_subscribes_and_the_other_assigns()
        => VerifyAsync(Rule, """
            public static class Reader
            {
                public static void Run(ConsumerConfig config, string topic, int? partition, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    if (partition is null)
                    {
                        consumer.Subscribe(topic);
                    }
                    else
                    {
                        consumer.Assign(new TopicPartitionOffset(topic, partition.Value, Offset.Beginning));
                    }

                    while (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine(consumer.Consume(ct).Message.Value);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_incremental_assign_and_seek()
        => VerifyAsync(Rule, Service("""
                public void Add(TopicPartitionOffset offset) => _consumer.IncrementalAssign(new[] { offset });

                public void Rewind(TopicPartitionOffset offset) => _consumer.Seek(offset);
            """));

    [Fact]
    public Task Silent_for_an_injected_consumer_that_this_type_does_not_subscribe()
        => VerifyAsync(Rule, """
            public sealed class Rewinder
            {
                private readonly IConsumer<string, string> _consumer;

                public Rewinder(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Rewind(TopicPartitionOffset offset) => _consumer.Assign(offset);
            }
            """);

    [Fact]
    public Task Silent_in_a_method_shaped_like_a_partition_handler()
        => VerifyAsync(Rule, Service("""
                public void Reassign(IConsumer<string, string> consumer, List<TopicPartitionOffset> partitions)
                {
                    _consumer.Assign(partitions);
                }
            """));

    [Fact]
    public Task Silent_when_a_different_consumer_assigns()
        => VerifyAsync(Rule, Service("""
                public void ReadOne(ConsumerConfig config, TopicPartitionOffset offset)
                {
                    using var reader = new ConsumerBuilder<string, string>(config).Build();
                    reader.Assign(offset);
                    Console.WriteLine(reader.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                }
            """));

    // ---- regressions from real code --------------------------------------------------------------

    /// <summary>confluent-kafka-dotnet's AdminClient_DeleteConsumerGroupOffsets test: assign first, subscribe later.</summary>
    [Fact]
    public Task Silent_when_assign_runs_before_subscribe_in_the_same_method()
        => VerifyAsync(Rule, """
            public static class OffsetsScenario
            {
                public static void Run(ConsumerConfig config, string topic)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Assign(new List<TopicPartition> { new TopicPartition(topic, 0) });
                    consumer.Commit(new List<TopicPartitionOffset> { new TopicPartitionOffset(topic, 0, 10) });
                    consumer.Subscribe(topic);
                    consumer.Close();
                }
            }
            """);

    /// <summary>The same test: subscribe, unsubscribe, then assign another topic.</summary>
    [Fact]
    public Task Silent_when_assign_follows_an_unsubscribe()
        => VerifyAsync(Rule, """
            public static class OffsetsScenario
            {
                public static void Run(ConsumerConfig config, string first, string second)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe(first);
                    Console.WriteLine(consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value);
                    consumer.Unsubscribe();
                    consumer.Assign(new List<TopicPartition> { new TopicPartition(second, 0) });
                    consumer.Close();
                }
            }
            """);

    /// <summary>KafkaFlow's Consumer: topics are subscribed under one condition, manual partitions assigned (in a private method) under another.</summary>
    [Fact]
    public Task Silent_for_a_topics_or_manual_partitions_configuration_mode()
        => VerifyAsync(Rule, """
            public sealed class FlowConsumer
            {
                private IConsumer<byte[], byte[]>? _consumer;

                public void Start(ConsumerConfig config, List<string> topics, List<TopicPartition> manualPartitions)
                {
                    _consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
                    if (topics.Count > 0)
                    {
                        _consumer.Subscribe(topics);
                    }

                    if (manualPartitions.Count > 0)
                    {
                        ManualAssign(manualPartitions);
                    }
                }

                private void ManualAssign(List<TopicPartition> partitions)
                {
                    _consumer!.Assign(partitions);
                }
            }
            """);
}
