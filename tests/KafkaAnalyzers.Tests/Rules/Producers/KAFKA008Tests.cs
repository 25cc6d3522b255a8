using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerLifetimeAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA008: a producer built per message or per request.</summary>
public class KAFKA008Tests
{
    private const string InLoop = "ProducerBuilder.Build() runs in every iteration of this loop";

    private static DiagnosticResult PerMessage(int location, string what = InLoop)
        => Diagnostic(Descriptors.KAFKA008_ProducerPerMessage).WithLocation(location).WithArguments(what);

    private static DiagnosticResult PerCall(int location, string method)
        => PerMessage(location, $"'{method}' builds a producer, produces one message and disposes the producer on every call");

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA008", source, expected);

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_producer_built_in_each_iteration() => Verify("""
        class Exporter
        {
            async Task Export(ProducerConfig config, string[] rows)
            {
                foreach (var row in rows)
                {
                    using var producer = {|#0:new ProducerBuilder<Null, string>(config).Build()|};
                    await producer.ProduceAsync("export", new Message<Null, string> { Value = row });
                }
            }
        }
        """, PerMessage(0));

    /// <summary>
    /// confluent-kafka-dotnet test Producer_CustomPartitioner: one producer per partitioner variant, each
    /// sending a batch from an inner loop: per configuration, not per message.
    /// </summary>
    [Fact]
    public Task Silent_for_a_producer_per_configuration_that_sends_a_batch_confluent_Producer_CustomPartitioner() => Verify("""
        class Tests
        {
            void Producer_CustomPartitioner(string bootstrapServers, string topic, Action<DeliveryReport<string, string>> dh)
            {
                for (int j = 0; j < 3; ++j)
                {
                    var producerConfig = new ProducerConfig { BootstrapServers = bootstrapServers, MessageTimeoutMs = 10000 + j };
                    var producerBuilder = new ProducerBuilder<string, string>(producerConfig);
                    using (var producer = producerBuilder.Build())
                    {
                        for (int i = 0; i < 10; ++i)
                        {
                            producer.Produce(topic, new Message<string, string> { Key = $"test key {i}", Value = $"test val {i}" }, dh);
                        }

                        producer.Flush(TimeSpan.FromSeconds(10));
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_producer_built_and_used_inline_in_a_loop() => Verify("""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    {|#0:new ProducerBuilder<Null, string>(config).Build()|}.Produce("export", new Message<Null, string> { Value = rows[i] });
                }
            }
        }
        """, PerMessage(0));

    [Fact]
    public Task Flags_a_per_request_producer_in_a_controller_action() => Verify("""
        public sealed class OrdersController
        {
            private readonly ProducerConfig _config;

            public OrdersController(ProducerConfig config) => _config = config;

            public async Task<string> Post(string orderJson)
            {
                using var producer = {|#0:new ProducerBuilder<string, string>(_config).Build()|};
                var result = await producer.ProduceAsync("orders", new Message<string, string> { Value = orderJson });
                return result.Offset.ToString();
            }
        }
        """, PerCall(0, "Post"));

    [Fact]
    public Task Flags_a_per_call_producer_disposed_explicitly() => Verify("""
        public static class Notifier
        {
            public static void Notify(ProducerConfig config, string text)
            {
                var producer = {|#0:new ProducerBuilder<Null, string>(config).Build()|};
                producer.Produce("notifications", new Message<Null, string> { Value = text }, r => Console.WriteLine(r.Error));
                producer.Flush(TimeSpan.FromSeconds(5));
                producer.Dispose();
            }
        }
        """, PerCall(0, "Notify"));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_a_singleton_built_in_the_constructor() => Verify("""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(ProducerConfig config) => _producer = new ProducerBuilder<string, string>(config).Build();

            public Task PublishAsync(string json) => _producer.ProduceAsync("orders", new Message<string, string> { Value = json });

            public void Dispose() => _producer.Dispose();
        }
        """);

    [Fact]
    public Task Silent_for_a_DI_factory_registration() => Verify("""
        public static class KafkaRegistration
        {
            public static IServiceCollection AddKafka(this IServiceCollection services, ProducerConfig config)
                => services.AddSingleton(_ => new ProducerBuilder<string, string>(config).Build());
        }
        """);

    [Fact]
    public Task Silent_for_one_producer_per_cluster_kept_in_a_dictionary() => Verify("""
        public sealed class MultiClusterPublisher
        {
            private readonly Dictionary<string, IProducer<string, string>> _producers = new();

            public MultiClusterPublisher(IEnumerable<ProducerConfig> clusters)
            {
                foreach (var cluster in clusters)
                {
                    _producers[cluster.BootstrapServers] = new ProducerBuilder<string, string>(cluster).Build();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_batch_job_that_produces_many_messages_with_one_producer() => Verify("""
        class Exporter
        {
            async Task ExportAsync(ProducerConfig config, string[] rows)
            {
                using var producer = new ProducerBuilder<Null, string>(config).Build();
                await Task.WhenAll(rows.Select(row => producer.ProduceAsync("export", new Message<Null, string> { Value = row })));
                foreach (var row in rows)
                {
                    producer.Produce("export.audit", new Message<Null, string> { Value = row }, r => Console.WriteLine(r.Error));
                }

                producer.Flush(CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_for_Main_and_test_methods() => Verify("""
        public sealed class FactAttribute : Attribute { }

        public static class Program
        {
            public static async Task Main(string[] args)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = args[0] }).Build();
                await producer.ProduceAsync(args[1], new Message<Null, string> { Value = args[2] });
            }
        }

        public class PublisherTests
        {
            [Fact]
            public async Task Publishes()
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();
                await producer.ProduceAsync("t", new Message<Null, string> { Value = "v" });
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_factory_method_and_a_hosted_service() => Verify("""
        public sealed class ProducerFactory
        {
            public IProducer<string, string> Create(ProducerConfig config) => new ProducerBuilder<string, string>(config).Build();
        }

        public sealed class Heartbeats : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();
                await producer.ProduceAsync("heartbeats", new Message<Null, string> { Value = "up" }, stoppingToken);
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_retry_loop_around_Build() => Verify("""
        class Connector
        {
            IProducer<Null, string>? _producer;

            void Connect(ProducerConfig config)
            {
                while (_producer is null)
                {
                    try
                    {
                        _producer = new ProducerBuilder<Null, string>(config).Build();
                    }
                    catch (InvalidOperationException)
                    {
                        Thread.Sleep(1000);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_dependent_producers_built_per_call() => Verify("""
        class Publisher
        {
            private readonly IProducer<Null, string> _main = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();

            async Task Send(byte[] payload)
            {
                using var producer = new DependentProducerBuilder<Null, byte[]>(_main.Handle).Build();
                await producer.ProduceAsync("blobs", new Message<Null, byte[]> { Value = payload });
            }
        }
        """);

    // ---- regressions from real projects -------------------------------------------------------------

    /// <summary>confluent-kafka-dotnet examples/AvroBlogExamples: ProduceGeneric/ProduceSpecific build a producer for one message, called once from Main.</summary>
    [Fact]
    public Task Silent_for_a_method_called_once_from_Main_confluent_AvroBlogExamples() => Verify("""
        class Program
        {
            static async Task ProduceGeneric(string bootstrapServers)
            {
                using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build())
                {
                    await producer
                        .ProduceAsync("log-messages", new Message<Null, string> { Value = "a test log message" })
                        .ContinueWith(task => Console.WriteLine(task.IsFaulted ? $"error producing message: {task.Exception!.Message}" : "produced"));
                }
            }

            static async Task Main(string[] args)
            {
                switch (args[0])
                {
                    case "generic-produce":
                        await ProduceGeneric(args[1]);
                        break;
                }
            }
        }
        """);

    /// <summary>The same per-call method called from a loop in Main is one producer per message again.</summary>
    [Fact]
    public Task Flags_a_method_that_Main_calls_in_a_loop() => Verify("""
        class Program
        {
            static async Task Send(string bootstrapServers, string line)
            {
                using var producer = {|#0:new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build()|};
                await producer.ProduceAsync("lines", new Message<Null, string> { Value = line });
            }

            static async Task Main(string[] args)
            {
                foreach (var line in args)
                {
                    await Send("kafka:9092", line);
                }
            }
        }
        """, PerCall(0, "Send"));

    /// <summary>4901oscar/smart-city-project backend/Services/KafkaProducerService.cs before it kept one producer: a service method building one per event.</summary>
    [Fact]
    public Task Flags_a_service_that_builds_a_producer_per_event_smart_city_project() => Verify("""
        public class KafkaProducerService
        {
            private readonly ProducerConfig _config = new ProducerConfig { BootstrapServers = "localhost:9092", EnableIdempotence = true };

            public async Task Publish(string topic, string message)
            {
                using var producer = {|#0:new ProducerBuilder<Null, string>(_config).Build()|};
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = message });
            }
        }
        """, PerCall(0, "Publish"));

    /// <summary>confluent-kafka-dotnet Serdes integration tests ProduceConsumeGeneric: a helper each [Theory] calls once.</summary>
    [Fact]
    public Task Silent_for_a_helper_called_from_test_methods_confluent_ProduceConsumeGeneric() => Verify("""
        public sealed class TheoryAttribute : Attribute { }

        public class Tests
        {
            private static void ProduceConsumeGeneric(string bootstrapServers, string topic)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
                producer.Produce(topic, new Message<Null, string> { Value = "v" }, r => Console.WriteLine(r.Error));
                producer.Flush(TimeSpan.FromSeconds(10));
            }

            [Theory]
            private static void ProduceConsumeGeneric_Topic(string bootstrapServers) => ProduceConsumeGeneric(bootstrapServers, "topic");

            [Theory]
            private static void ProduceConsumeGeneric_Record(string bootstrapServers) => ProduceConsumeGeneric(bootstrapServers, "record");
        }
        """);

    /// <summary>confluent-kafka-dotnet integration test CancellationDelayMax: [SkippableTheory] derives from xUnit's TheoryAttribute.</summary>
    [Fact]
    public Task Silent_for_a_test_whose_attribute_derives_from_Theory_confluent_CancellationDelayMax() => Verify("""
        public class FactAttribute : Attribute { }
        public class TheoryAttribute : FactAttribute { }
        public sealed class SkippableTheoryAttribute : TheoryAttribute { }

        public class Tests
        {
            [SkippableTheory]
            public async Task CancellationDelayMax(string bootstrapServers)
            {
                using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
                await producer.ProduceAsync("t", new Message<byte[], byte[]> { Value = new byte[1] });
            }
        }
        """);
    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.Kafka.IntegrationTests/Tests/CancellationDelayMax.cs when Xunit.SkippableFact
    /// is not among the references (a build that has not restored it): [SkippableTheory] does not resolve, so its base
    /// type cannot be seen; the name written is enough.
    /// </summary>
    [Fact]
    public Task Silent_for_a_test_whose_unresolved_attribute_is_named_SkippableTheory_confluent_CancellationDelayMax() => Verify("""
        public class Tests
        {
            [{|CS0246:{|CS0246:SkippableTheory|}|}]
            public void CancellationDelayMax(string bootstrapServers)
            {
                using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
                producer.ProduceAsync("t", new Message<byte[], byte[]> { Value = new byte[1] }).Wait();
            }
        }
        """);

    /// <summary>
    /// confluent-kafka-dotnet test/Confluent.SchemaRegistry.Serdes.IntegrationTests/Tests_Avro/ProduceConsumeGeneric.cs as the
    /// real-code run compiles it (xUnit's attributes unresolved): a helper that builds two producers, each sending one
    /// message, called once from each [Theory]. (The run reported it because the calls did not bind: SubjectNameStrategy
    /// came both from the checkout's Confluent.SchemaRegistry project and from the package; RealCodeLoader now leaves out
    /// references to assemblies the checkout builds.)
    /// </summary>
    [Fact]
    public Task Silent_for_a_helper_called_from_tests_whose_attribute_is_unresolved_confluent_ProduceConsumeGeneric() => Verify("""
        public static partial class Tests
        {
            private static void ProduceConsumeGeneric(string bootstrapServers, string topic)
            {
                var config = new ProducerConfig { BootstrapServers = bootstrapServers };
                DeliveryResult<string, Null> dr;
                using (var p = new ProducerBuilder<string, Null>(config).Build())
                {
                    dr = p.ProduceAsync(topic, new Message<string, Null> { Key = "generic" }).Result;
                }

                using (var p = new ProducerBuilder<string, Null>(config).Build())
                {
                    p.ProduceAsync(topic, new Message<string, Null> { Key = "specific" }).Wait();
                }

                Console.WriteLine(dr.Offset);
            }

            [{|CS0246:{|CS0246:Theory|}|}]
            private static void ProduceConsumeGeneric_Topic(string bootstrapServers) => ProduceConsumeGeneric(bootstrapServers, "topic");

            [{|CS0246:{|CS0246:Theory|}|}]
            private static void ProduceConsumeGeneric_Record(string bootstrapServers) => ProduceConsumeGeneric(bootstrapServers, "record");
        }
        """);

    /// <summary>The twin of the above: an unresolved attribute that is not a test framework's says nothing about how often the method runs.</summary>
    [Fact]
    public Task Flags_a_per_call_method_whose_unresolved_attribute_is_not_a_test_attribute() => Verify("""
        public class Controller
        {
            [{|CS0246:{|CS0246:HttpPost|}|}]
            public void Post(ProducerConfig config, string body)
            {
                using var producer = {|#0:new ProducerBuilder<Null, string>(config).Build()|};
                producer.ProduceAsync("t", new Message<Null, string> { Value = body }).Wait();
            }
        }
        """, PerCall(0, "Post"));
}
