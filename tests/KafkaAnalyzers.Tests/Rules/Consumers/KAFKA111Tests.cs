using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA111: a consumer built and disposed per message or per request.</summary>
public class KAFKA111Tests
{
    private const string Rule = "KAFKA111";

    private static DiagnosticResult Expected(int marker, string where)
        => Diagnostic(Descriptors.KAFKA111_ConsumerBuiltPerMessage).WithLocation(marker).WithArguments(where);

    [Fact]
    public Task Flags_build_per_message_inside_a_loop()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(ConsumerConfig config, CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        using var consumer = {|#0:new ConsumerBuilder<string, string>(config).Build()|};
                        consumer.Subscribe("orders");
                        var result = consumer.Consume(ct);
                        Console.WriteLine(result.Message.Value);
                    }
                }
            }
            """, Expected(0, "inside a loop"));

    [Fact]
    public Task Flags_method_that_builds_reads_one_message_and_is_called_from_a_loop()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g" };

                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine(ReadNext(ct));
                    }
                }

                private string ReadNext(CancellationToken ct)
                {
                    using var consumer = {|#0:new ConsumerBuilder<string, string>(_config).Build()|};
                    consumer.Subscribe("orders");
                    return consumer.Consume(ct).Message.Value;
                }
            }
            """, Expected(0, "in 'ReadNext', which a loop calls each time round"));

    [Fact]
    public Task Flags_build_in_a_controller_action()
        => VerifyAsync(Rule, """
            namespace Microsoft.AspNetCore.Mvc
            {
                public abstract class ControllerBase { }
            }

            public sealed class OrdersController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g" };

                public string? Latest()
                {
                    using var consumer = {|#0:new ConsumerBuilder<string, string>(_config).Build()|};
                    consumer.Subscribe("orders");
                    return consumer.Consume(TimeSpan.FromSeconds(1))?.Message.Value;
                }
            }
            """, Expected(0, "in the controller action 'Latest', once per request"));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_a_restart_loop_around_a_consume_loop()
        => VerifyAsync(Rule, """
            class Service
            {
                void Run(ConsumerConfig config, CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        using var consumer = new ConsumerBuilder<string, string>(config).Build();
                        consumer.Subscribe("orders");
                        try
                        {
                            while (true)
                            {
                                var result = consumer.Consume(ct);
                                Console.WriteLine(result.Message.Value);
                            }
                        }
                        catch (ConsumeException e) when (e.Error.IsFatal)
                        {
                            Console.WriteLine("rebuilding the consumer");
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_one_consumer_per_service()
        => VerifyAsync(Rule, """
            class Service : BackgroundService
            {
                private readonly ConsumerConfig _config = new() { GroupId = "g" };

                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
                {
                    using var consumer = new ConsumerBuilder<string, string>(_config).Build();
                    consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        consumer.Consume(stoppingToken);
                    }

                    consumer.Close();
                }, stoppingToken);
            }
            """);

    [Fact]
    public Task Silent_for_a_loop_that_builds_one_consumer_per_topic_and_keeps_them()
        => VerifyAsync(Rule, """
            class Service
            {
                private readonly List<IConsumer<string, string>> _consumers = new();

                void Start(ConsumerConfig config, string[] topics)
                {
                    foreach (var topic in topics)
                    {
                        var consumer = new ConsumerBuilder<string, string>(config).Build();
                        consumer.Subscribe(topic);
                        _consumers.Add(consumer);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_factory_method_that_returns_the_consumer()
        => VerifyAsync(Rule, """
            class Factory
            {
                public IConsumer<string, string> Create(ConsumerConfig config) => new ConsumerBuilder<string, string>(config).Build();
            }
            """);

    [Fact]
    public Task Silent_for_a_method_called_once_at_start_up()
        => VerifyAsync(Rule, """
            class Service
            {
                public void Start(ConsumerConfig config, CancellationToken ct) => Run(config, ct);

                private static void Run(ConsumerConfig config, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Subscribe("orders");
                    while (!ct.IsCancellationRequested)
                    {
                        consumer.Consume(ct);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_public_method_outside_controllers()
        => VerifyAsync(Rule, """
            public sealed class OffsetsReport
            {
                public long Lag(ConsumerConfig config)
                {
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("t", 0), TimeSpan.FromSeconds(5));
                    return watermarks.High - watermarks.Low;
                }
            }
            """);
}
