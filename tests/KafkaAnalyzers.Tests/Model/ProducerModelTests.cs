using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>The producer instance model asked directly: holders, ownership, uses, produce calls.</summary>
public class ProducerModelTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Hosting;

        """;

    private static async Task<ProducerModel> Model(string source, string type = "Service")
        => (await ModelHarness.AnalyzeAsync(Usings + source, type)).Producers;

    private static ProducerInstance Holder(ProducerModel model, string name)
        => Assert.Single(model.Instances, i => i.Holder?.Name == name);

    [Fact]
    public async Task Local_built_here_is_owned_and_its_uses_are_recorded()
    {
        var model = await Model("""
            class Service
            {
                void Run(ProducerConfig config)
                {
                    using var producer = new ProducerBuilder<string, string>(config).Build();
                    producer.Produce("a", new Message<string, string>(), r => { });
                    producer.Poll(TimeSpan.Zero);
                    var left = producer.Flush(TimeSpan.FromSeconds(1));
                    producer.Flush(TimeSpan.FromSeconds(1));
                    producer.Flush(CancellationToken.None);
                }
            }
            """);

        var producer = Holder(model, "producer");
        Assert.Equal(HolderKind.Local, producer.Kind);
        Assert.True(producer.IsOwned);
        Assert.False(producer.Escapes);
        Assert.Single(producer.Builds);
        Assert.NotNull(producer.Builder);
        Assert.Single(producer.Produces);
        Assert.Single(producer.Polls);
        Assert.Equal(new[] { true, false, true }, producer.Flushes.Select(f => f.Accounts));
        Assert.IsAssignableFrom<IUsingDeclarationOperation>(Assert.Single(producer.Disposals));
        Assert.Equal(new[] { "a" }, producer.Topics);
        Assert.True(producer.TopicsKnown);
    }

    [Fact]
    public async Task Injected_field_and_parameter_are_not_owned()
    {
        var model = await Model("""
            class Service
            {
                private readonly IProducer<string, string> _producer;

                Service(IProducer<string, string> producer) => _producer = producer;

                void Run(IProducer<string, string> other)
                {
                    _producer.Produce("a", new Message<string, string>());
                    other.Produce("b", new Message<string, string>());
                    _producer.Dispose();
                }
            }
            """);

        Assert.False(Holder(model, "_producer").IsOwned);
        Assert.Single(Holder(model, "_producer").Disposals);
        Assert.Equal(HolderKind.Parameter, Holder(model, "other").Kind);
        Assert.False(Holder(model, "other").IsOwned);
        Assert.Equal(2, model.ProduceCalls.Length);
        Assert.All(model.ProduceCalls, c => Assert.True(c.Handler!.IsMissing));
    }

    [Fact]
    public async Task Field_built_in_the_constructor_by_a_factory_of_the_type_is_owned()
    {
        var model = await Model("""
            class Service : IDisposable
            {
                private readonly IProducer<string, string> _producer;

                Service(ProducerConfig config) => _producer = Create(config);

                private static IProducer<string, string> Create(ProducerConfig config)
                {
                    var producer = new ProducerBuilder<string, string>(config).SetErrorHandler((_, e) => Console.WriteLine(e)).Build();
                    return producer;
                }

                public void Dispose() => _producer?.Dispose();
            }
            """);

        Assert.Contains(model.Factories, m => m.Name == "Create");
        var field = Holder(model, "_producer");
        Assert.True(field.IsOwned);
        Assert.Single(field.Disposals);
        var build = Assert.Single(model.Builds);
        Assert.Equal("Create", build.ReturnedFrom?.Name);
        Assert.NotNull(build.Builder);
    }

    [Fact]
    public async Task Field_assigned_from_a_parameter_somewhere_is_not_owned()
    {
        var model = await Model("""
            class Service
            {
                private IProducer<string, string> _producer;

                Service(ProducerConfig config) => _producer = new ProducerBuilder<string, string>(config).Build();

                void Replace(IProducer<string, string> producer) => _producer = producer;
            }
            """);

        Assert.False(Holder(model, "_producer").IsOwned);
    }

    [Fact]
    public async Task Producer_that_escapes_is_marked()
    {
        var model = await Model("""
            class Service
            {
                private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

                IProducer<string, string> Expose() => _producer;

                void Run(ProducerConfig config)
                {
                    var producer = new ProducerBuilder<string, string>(config).Build();
                    Send(producer);
                }

                static void Send(IProducer<string, string> producer) { }
            }
            """);

        Assert.True(Holder(model, "_producer").Escapes);
        Assert.True(Holder(model, "producer").Escapes);
        Assert.False(Holder(model, "producer").TopicsKnown);
    }

    [Fact]
    public async Task Lazy_field_behind_a_private_property_collects_the_calls_through_the_property()
    {
        var model = await Model("""
            class Service
            {
                private IProducer<string, string>? _producer;

                private IProducer<string, string> Producer => _producer ??= new ProducerBuilder<string, string>(new ProducerConfig()).Build();

                void Send() => Producer.Produce("a", new Message<string, string>(), r => { });

                void Stop() => _producer?.Dispose();
            }
            """);

        var field = Holder(model, "_producer");
        Assert.True(field.IsOwned);
        Assert.False(field.Escapes);
        Assert.Single(field.Produces);
        Assert.Single(field.Disposals);
    }

    [Fact]
    public async Task Transactions_dependent_producers_and_using_statements()
    {
        var model = await Model("""
            class Service
            {
                void Run(IProducer<string, string> main, ProducerConfig config)
                {
                    using (var dependent = new DependentProducerBuilder<string, byte[]>(main.Handle).Build())
                    {
                        dependent.Produce("blobs", new Message<string, byte[]>());
                    }

                    var tx = new ProducerBuilder<string, string>(config).Build();
                    tx.InitTransactions(TimeSpan.FromSeconds(5));
                    tx.BeginTransaction();
                    tx.CommitTransaction();
                }
            }
            """);

        var dependent = Holder(model, "dependent");
        Assert.True(dependent.IsDependent);
        Assert.IsAssignableFrom<IUsingOperation>(Assert.Single(dependent.Disposals));
        Assert.True(Holder(model, "tx").IsTransactional);
        Assert.Equal(3, Holder(model, "tx").TransactionCalls.Length);
    }

    [Fact]
    public async Task Produce_calls_record_topic_handler_and_task_fate()
    {
        var model = await Model("""
            class Service
            {
                private readonly Action<DeliveryReport<string, string>> _onDelivery = r => Console.WriteLine(r.Offset);

                async Task Run(IProducer<string, string> producer, Message<string, string> m, string topic, Action<DeliveryReport<string, string>> forwarded)
                {
                    producer.Produce("constant", m);
                    producer.Produce(topic, m, forwarded);
                    producer.Produce(new TopicPartition("partitioned", 0), m, _onDelivery);
                    producer.Produce("lambda", m, report => Console.WriteLine(report.Error));
                    producer.Produce("method", m, OnDelivery);
                    await producer.ProduceAsync("awaited", m);
                    _ = producer.ProduceAsync("discarded", m);
                }

                void OnDelivery(DeliveryReport<string, string> report) { }
            }
            """);

        var calls = model.ProduceCalls;
        Assert.Equal(new[] { "constant", null, "partitioned", "lambda", "method", "awaited", "discarded" }, calls.Select(c => c.Topic));
        Assert.Equal(DeliveryHandlerKind.None, calls[0].Handler!.Kind);
        Assert.Equal(DeliveryHandlerKind.Parameter, calls[1].Handler!.Kind);
        Assert.Equal(DeliveryHandlerKind.Variable, calls[2].Handler!.Kind);
        Assert.True(calls[2].Handler!.IgnoresOutcome);
        Assert.Equal(DeliveryHandlerKind.Lambda, calls[3].Handler!.Kind);
        Assert.False(calls[3].Handler!.IgnoresOutcome);
        Assert.Equal(DeliveryHandlerKind.Method, calls[4].Handler!.Kind);
        Assert.True(calls[4].Handler!.IgnoresOutcome);
        Assert.True(calls[5].IsAwaited);
        Assert.False(calls[5].LeavesMessageQueued);
        Assert.True(calls[6].Task.IsUnobserved);
        Assert.True(calls[6].LeavesMessageQueued);
        Assert.All(calls, c => Assert.Same(Holder(model, "producer"), c.Instance));
    }

    [Fact]
    public async Task Builder_held_in_a_local_is_found_from_the_build()
    {
        var model = await Model("""
            class Service
            {
                void Run(ProducerConfig config)
                {
                    var builder = new ProducerBuilder<string, string>(config);
                    builder.SetErrorHandler((_, e) => Console.WriteLine(e));
                    using var producer = builder.Build();
                }
            }
            """);

        var build = Assert.Single(model.Builds);
        Assert.NotNull(build.Builder);
        Assert.Same(build.Instance, model.InstanceBuiltBy(build.Builder!));
    }
}
