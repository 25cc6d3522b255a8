using KafkaAnalyzers.Producers;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA004: Produce without a delivery handler.</summary>
public class KAFKA004Tests
{
    private static DiagnosticResult NoHandler(int location) => Diagnostic(Descriptors.KAFKA004_ProduceWithoutHandler).WithLocation(location);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA004", source, expected);

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_singleton_service_with_injected_producer() => Verify("""
        public sealed class OrderEvents
        {
            private readonly IProducer<string, string> _producer;

            public OrderEvents(IProducer<string, string> producer) => _producer = producer;

            public void Publish(string orderId, string json)
                => {|#0:_producer.Produce("orders", new Message<string, string> { Key = orderId, Value = json })|};
        }
        """, NoHandler(0));

    [Fact]
    public Task Flags_null_and_default_handlers() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                {|#0:producer.Produce("orders", message, null)|};
                {|#1:producer.Produce("orders", message, default)|};
                {|#2:producer.Produce("orders", message, deliveryHandler: null)|};
            }
        }
        """, NoHandler(0), NoHandler(1), NoHandler(2));

    [Fact]
    public Task Flags_produce_to_a_topic_partition() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => {|#0:producer.Produce(new TopicPartition("orders", new Partition(3)), message)|};
        }
        """, NoHandler(0));

    [Fact]
    public Task Flags_owned_producer_in_a_hosted_service_loop() => Verify("""
        public sealed class HeartbeatService : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = "kafka:9092" }).Build();
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        {|#0:producer.Produce("heartbeats", new Message<Null, string> { Value = DateTime.UtcNow.ToString("O") })|};
                        await Task.Delay(1000, stoppingToken);
                    }
                }
                finally
                {
                    producer.Flush(CancellationToken.None);
                }
            }
        }
        """, NoHandler(0));

    [Fact]
    public Task Flags_generic_KafkaProducer_of_T_helper() => Verify("""
        public sealed class KafkaProducer<T> : IDisposable
        {
            private readonly IProducer<string, T> _producer;

            public KafkaProducer(ProducerConfig config) => _producer = new ProducerBuilder<string, T>(config).Build();

            public void Send(string topic, string key, T value)
                => {|#0:_producer.Produce(topic, new Message<string, T> { Key = key, Value = value })|};

            public void Dispose()
            {
                _producer.Flush(CancellationToken.None);
                _producer.Dispose();
            }
        }
        """, NoHandler(0));

    [Fact]
    public Task Flags_producer_returned_by_a_DI_factory_call() => Verify("""
        public interface IProducerFactory { IProducer<string, string> Get(string name); }

        public sealed class AuditWriter
        {
            private readonly IProducerFactory _factory;

            public AuditWriter(IProducerFactory factory) => _factory = factory;

            public void Write(string entry) => {|#0:_factory.Get("audit").Produce("audit", new Message<string, string> { Value = entry })|};
        }
        """, NoHandler(0));

    [Fact]
    public Task Flags_each_call_once() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, string[] values)
            {
                foreach (var value in values)
                {
                    {|#0:producer.Produce("a", new Message<string, string> { Value = value })|};
                    {|#1:producer.Produce("b", new Message<string, string> { Value = value })|};
                }
            }
        }
        """, NoHandler(0), NoHandler(1));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_with_a_lambda_handler() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => producer.Produce("orders", message, report => Console.WriteLine(report.Error.Reason));
        }
        """);

    [Fact]
    public Task Silent_with_a_method_group_handler() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => producer.Produce("orders", message, OnDelivery);

            static void OnDelivery(DeliveryReport<string, string> report) { }
        }
        """);

    [Fact]
    public Task Silent_with_a_handler_forwarded_from_a_parameter() => Verify("""
        public sealed class Publisher
        {
            private readonly IProducer<string, string> _producer;

            public Publisher(IProducer<string, string> producer) => _producer = producer;

            public void Publish(string topic, Message<string, string> message, Action<DeliveryReport<string, string>>? onDelivery = null)
                => _producer.Produce(topic, message, onDelivery);
        }
        """);

    [Fact]
    public Task Silent_with_a_handler_field_local_or_factory() => Verify("""
        class Service
        {
            private readonly Action<DeliveryReport<string, string>> _onDelivery = r => Console.WriteLine(r.Status);

            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("a", message, _onDelivery);
                Action<DeliveryReport<string, string>> local = r => Console.WriteLine(r.Error);
                producer.Produce("b", message, local);
                producer.Produce("c", message, CreateHandler("c"));
            }

            static Action<DeliveryReport<string, string>> CreateHandler(string topic) => r => Console.WriteLine(topic + r.Error);
        }
        """);

    [Fact]
    public Task Silent_for_a_transactional_producer() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string>[] messages)
            {
                producer.BeginTransaction();
                foreach (var message in messages)
                {
                    producer.Produce("orders", message);
                }

                producer.CommitTransaction();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_visible_config_is_transactional() => Verify("""
        class Service
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig { TransactionalId = "orders-tx" }).Build();

            void Send(Message<string, string> message) => _producer.Produce("orders", message);
        }
        """);

    [Fact]
    public Task Silent_when_delivery_reports_are_switched_off_in_the_visible_config() => Verify("""
        class Service
        {
            void Run()
            {
                var config = new ProducerConfig { BootstrapServers = "kafka:9092", EnableDeliveryReports = false };
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                producer.Produce("clicks", new Message<Null, string> { Value = "{}" });
                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """);

    [Fact]
    public Task Silent_when_delivery_reports_are_off_for_a_builder_subclass_confluent_Producer_DisableDeliveryReports() => Verify("""
        public class TestProducerBuilder<TKey, TValue> : ProducerBuilder<TKey, TValue>
        {
            public TestProducerBuilder(IEnumerable<KeyValuePair<string, string>> config) : base(config) { }
        }

        class Tests
        {
            void Producer_DisableDeliveryReports(string bootstrapServers)
            {
                var producerConfig = new ProducerConfig { BootstrapServers = bootstrapServers, EnableDeliveryReports = false };
                using (var producer = new TestProducerBuilder<byte[], byte[]>(producerConfig).Build())
                {
                    producer.Produce("topic", new Message<byte[], byte[]> { Value = new byte[] { 1 } });
                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_builder_subclass_when_nothing_switches_delivery_reports_off() => Verify("""
        public class TestProducerBuilder<TKey, TValue> : ProducerBuilder<TKey, TValue>
        {
            public TestProducerBuilder(IEnumerable<KeyValuePair<string, string>> config) : base(config) { }
        }

        class Tests
        {
            void Produces(string bootstrapServers)
            {
                var producerConfig = new ProducerConfig { BootstrapServers = bootstrapServers, EnableDeliveryReports = true };
                using (var producer = new TestProducerBuilder<byte[], byte[]>(producerConfig).Build())
                {
                    {|#0:producer.Produce("topic", new Message<byte[], byte[]> { Value = new byte[] { 1 } })|};
                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """, NoHandler(0));

    [Fact]
    public Task Silent_inside_a_mock_expression_tree() => Verify("""
        using System.Linq.Expressions;

        public interface IMock<T> { void Verify(Expression<Action<T>> call); }

        class PublisherTests
        {
            void Verifies(IMock<IProducer<string, string>> mock)
                => mock.Verify(p => p.Produce("orders", It.IsAny<Message<string, string>>(), null));
        }

        static class It { public static T IsAny<T>() => default!; }
        """);

    [Fact]
    public Task Silent_for_ProduceAsync_and_for_a_project_wrapper_named_Produce() => Verify("""
        public sealed class EventBus
        {
            public void Produce(string topic, string value) { }
        }

        class Service
        {
            async Task Run(IProducer<string, string> producer, EventBus bus, Message<string, string> message)
            {
                await producer.ProduceAsync("orders", message);
                bus.Produce("orders", "{}");
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_decorator_forwards_the_handler() => Verify("""
        public sealed class TracingProducer
        {
            private readonly IProducer<string, string> _inner;

            public TracingProducer(IProducer<string, string> inner) => _inner = inner;

            public void Produce(string topic, Message<string, string> message, Action<DeliveryReport<string, string>> deliveryHandler)
            {
                message.Headers ??= new Headers();
                _inner.Produce(topic, message, deliveryHandler);
            }
        }
        """);

    [Fact]
    public Task Silent_in_code_without_Confluent_producers() => Verify("""
        class Service
        {
            void Produce(string topic, object message, Action<object>? handler = null) { }

            void Run() => Produce("orders", new object());
        }
        """);

    // ---- regressions from real projects -------------------------------------------------------------

    /// <summary>LGouellec/kafka-streams-dotnet Mock/Pipes/KafkaPipeInput: a test driver that produces without a handler and flushes.</summary>
    [Fact]
    public Task Flags_a_test_pipe_that_relies_on_Flush_streamiz_KafkaPipeInput() => Verify("""
        internal sealed class KafkaPipeInput : IDisposable
        {
            private readonly Queue<(byte[], byte[])> buffer = new();
            private readonly string topicName;
            private readonly IProducer<byte[], byte[]> producer;

            public KafkaPipeInput(string topicName, IProducer<byte[], byte[]> producer)
            {
                this.topicName = topicName;
                this.producer = producer;
            }

            public void Dispose() => producer.Dispose();

            public void Flush()
            {
                while (buffer.Count > 0)
                {
                    var record = buffer.Dequeue();
                    {|#0:producer.Produce(topicName, new Message<byte[], byte[]> { Key = record.Item1, Value = record.Item2 })|};
                }

                producer.Flush();
            }
        }
        """, NoHandler(0));

    /// <summary>Farfetch/kafkaflow MessageProducer: Produce with a local-function handler that reads report.Error.</summary>
    [Fact]
    public Task Silent_with_a_local_function_handler_kafkaflow() => Verify("""
        class MessageProducer
        {
            void InternalProduce(IProducer<byte[], byte[]> localProducer, string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> deliveryHandler)
            {
                localProducer.Produce(topic, message, Handler);

                void Handler(DeliveryReport<byte[], byte[]> report)
                {
                    if (report.Error.IsFatal)
                    {
                        Console.Error.WriteLine(report.Error.Reason);
                    }

                    deliveryHandler(report);
                }
            }
        }
        """);

    /// <summary>confluent-kafka-dotnet test Producer_Produce_Async: Produce inside Assert.Throws is expected to fail, not to deliver.</summary>
    [Fact]
    public Task Silent_inside_Assert_Throws_confluent_Producer_Produce_Async() => Verify("""
        public static class Assert
        {
            public static T Throws<T>(Action testCode) where T : Exception => throw new InvalidOperationException();
            public static Task<T> ThrowsAsync<T>(Func<Task> testCode) where T : Exception => throw new InvalidOperationException();
        }

        public class ProducerTests
        {
            public async Task Produce_with_a_failing_serializer(IProducer<Null, string> producer)
            {
                Assert.Throws<ProduceException<Null, string>>(() => producer.Produce("test", new Message<Null, string> { Value = "test" }));
                await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("test", new Message<Null, string> { Value = "test" }));
            }
        }
        """);
}
