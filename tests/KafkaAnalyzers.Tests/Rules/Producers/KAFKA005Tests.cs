using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA005: the task of Confluent's ProduceAsync is not observed.</summary>
public class KAFKA005Tests
{
    private const string Discarded = "The task ProduceAsync returns is discarded";

    private static DiagnosticResult Unobserved(int location, string how = Discarded)
        => Diagnostic(Descriptors.KAFKA005_ProduceAsyncNotObserved).WithLocation(location).WithArguments(how);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA005", source, expected);

    private static string Publisher(string body, string signature = "public async Task PublishAsync(string id, string json)") => $$"""
        public sealed class OrderPublisher
        {
            private readonly IProducer<string, string> _producer;
            private readonly List<Task> _pending = new();

            public OrderPublisher(IProducer<string, string> producer) => _producer = producer;

            {{signature}}
            {
        {{body}}
            }

            private static void Track(Task delivery) { }
        }
        """;

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_an_expression_statement() => Verify(Publisher("""
                {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|};
                await Task.CompletedTask;
        """), Unobserved(0));

    [Fact]
    public Task Flags_a_discard_assignment() => Verify(Publisher("""
                _ = {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|};
        """, "public void Publish(string id, string json)"), Unobserved(0));

    [Fact]
    public Task Flags_a_fire_and_forget_Task_Run() => Verify(Publisher("""
                _ = Task.Run(() => {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|});
        """, "public void Publish(string id, string json)"),
        Unobserved(0, "The task ProduceAsync returns is returned from a Task.Run (or StartNew) whose own task is discarded"));

    [Fact]
    public Task Flags_a_ContinueWith_that_never_reads_the_failure() => Verify(Publisher("""
                _ = {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|}
                    .ContinueWith(_ => Console.WriteLine($"order {id} published"));
        """, "public void Publish(string id, string json)"),
        Unobserved(0, "The task ProduceAsync returns is continued with a ContinueWith that never reads its Exception, IsFaulted or Result (or never runs on failure)"));

    [Fact]
    public Task Flags_a_ContinueWith_that_runs_only_on_success() => Verify(Publisher("""
                _ = {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|}
                    .ContinueWith(t => Console.WriteLine(t.Result.Offset), TaskContinuationOptions.OnlyOnRanToCompletion);
        """, "public void Publish(string id, string json)"),
        Unobserved(0, "The task ProduceAsync returns is continued with a ContinueWith that never reads its Exception, IsFaulted or Result (or never runs on failure)"));

    [Fact]
    public Task Flags_a_task_stored_in_a_local_and_never_awaited() => Verify(Publisher("""
                var delivery = {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json })|};
                Console.WriteLine("queued");
        """, "public void Publish(string id, string json)"),
        Unobserved(0, "The task ProduceAsync returns is stored in 'delivery' and never awaited"));

    [Fact]
    public Task Flags_a_discarded_task_in_a_void_lambda() => Verify(Publisher("""
                new List<string> { id }.ForEach(key => {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Key = key, Value = json })|});
        """, "public void Publish(string id, string json)"), Unobserved(0));

    [Fact]
    public Task Flags_a_conditional_access_statement() => Verify("""
        class Service
        {
            private IProducer<string, string>? _producer;

            void Publish(Message<string, string> message) => {|#0:_producer?.ProduceAsync("orders", message)|};
        }
        """, Unobserved(0));

    [Fact]
    public Task Flags_a_discarded_WhenAll_of_produce_tasks() => Verify(Publisher("""
                Task.WhenAll({|#0:_producer.ProduceAsync("a", new Message<string, string> { Value = json })|}, {|#1:_producer.ProduceAsync("b", new Message<string, string> { Value = json })|});
        """, "public void Publish(string id, string json)"), Unobserved(0), Unobserved(1));

    // ---- silent: the shapes users of VSTHRD110 / CA2012 reported as false alarms ------------------

    [Fact]
    public Task Silent_when_awaited() => Verify(Publisher("""
                await _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json });
                var result = await _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json }).ConfigureAwait(false);
                Console.WriteLine(result.Offset);
        """));

    [Fact]
    public Task Silent_when_returned() => Verify(Publisher("""
                return _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json });
        """, "public Task<DeliveryResult<string, string>> PublishAsync(string id, string json)"));

    [Fact]
    public Task Silent_when_returned_from_an_expression_bodied_member() => Verify("""
        class Service
        {
            private readonly IProducer<string, string> _producer;

            Service(IProducer<string, string> producer) => _producer = producer;

            public Task PublishAsync(Message<string, string> message) => _producer.ProduceAsync("orders", message);
        }
        """);

    [Fact]
    public Task Silent_when_stored_and_awaited_later() => Verify(Publisher("""
                var delivery = _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json });
                Console.WriteLine("queued");
                await delivery;
        """));

    [Fact]
    public Task Silent_when_collected_and_awaited_with_WhenAll_or_WhenAny() => Verify(Publisher("""
                var tasks = new List<Task>();
                tasks.Add(_producer.ProduceAsync("a", new Message<string, string> { Value = json }));
                var batch = new[] { _producer.ProduceAsync("b", new Message<string, string> { Value = json }) };
                await Task.WhenAll(tasks);
                await Task.WhenAny(batch);
                await Task.WhenAll(new[] { id }.Select(key => _producer.ProduceAsync("c", new Message<string, string> { Key = key, Value = json })));
        """));

    [Fact]
    public Task Silent_when_passed_to_a_method_or_stored_in_a_field() => Verify(Publisher("""
                Track(_producer.ProduceAsync("a", new Message<string, string> { Value = json }));
                _pending.Add(_producer.ProduceAsync("b", new Message<string, string> { Value = json }));
        """, "public void Publish(string id, string json)"));

    [Fact]
    public Task Silent_with_conditional_access_and_coalesce_that_are_awaited() => Verify("""
        class Service
        {
            private IProducer<string, string>? _producer;

            async Task PublishAsync(Message<string, string> message)
                => await (_producer?.ProduceAsync("orders", message) ?? Task.FromResult<DeliveryResult<string, string>>(null!));

            Task SendAsync(Message<string, string> message)
                => _producer?.ProduceAsync("orders", message) ?? Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Silent_inside_an_expression_tree() => Verify("""
        using System.Linq.Expressions;

        public interface IMock<T> { void Setup(Expression<Func<T, Task>> call); }

        class PublisherTests
        {
            void Arrange(IMock<IProducer<string, string>> mock)
                => mock.Setup(p => p.ProduceAsync("orders", null!, default));
        }
        """);

    [Fact]
    public Task Silent_with_a_ContinueWith_that_reads_the_exception() => Verify(Publisher("""
                _ = _producer.ProduceAsync("a", new Message<string, string> { Value = json })
                    .ContinueWith(t => { if (t.IsFaulted) Console.Error.WriteLine(t.Exception); });
                _ = _producer.ProduceAsync("b", new Message<string, string> { Value = json })
                    .ContinueWith(t => Console.Error.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);
        """, "public void Publish(string id, string json)"));

    [Fact]
    public Task Silent_with_an_awaited_Task_Run() => Verify(Publisher("""
                await Task.Run(() => _producer.ProduceAsync("orders", new Message<string, string> { Key = id, Value = json }));
        """));

    [Fact]
    public Task Silent_for_a_project_wrapper_that_awaits_inside() => Verify("""
        public sealed class OrderPublisher
        {
            private readonly IProducer<string, string> _producer;

            public OrderPublisher(IProducer<string, string> producer) => _producer = producer;

            public async Task PublishAsync(string json) => await _producer.ProduceAsync("orders", new Message<string, string> { Value = json });
        }

        public sealed class Checkout
        {
            private readonly OrderPublisher _publisher;

            public Checkout(OrderPublisher publisher) => _publisher = publisher;

            public void Complete(string json) => _ = _publisher.PublishAsync(json);
        }
        """);

    [Fact]
    public Task Silent_when_the_task_is_blocked_on() => Verify(Publisher("""
                _producer.ProduceAsync("a", new Message<string, string> { Value = json }).Wait();
                var offset = _producer.ProduceAsync("b", new Message<string, string> { Value = json }).GetAwaiter().GetResult().Offset;
                var result = _producer.ProduceAsync("c", new Message<string, string> { Value = json }).Result;
        """, "public void Publish(string id, string json)"));

    // ---- regressions from real projects -------------------------------------------------------------

    /// <summary>Farfetch/kafkaflow MessageProducer: a ternary of two ProduceAsync calls stored in a local, then awaited with ConfigureAwait.</summary>
    [Fact]
    public Task Silent_for_a_ternary_of_produce_tasks_stored_and_awaited_kafkaflow() => Verify("""
        class MessageProducer
        {
            async Task<DeliveryResult<byte[], byte[]>> ProduceAsync(IProducer<byte[], byte[]> localProducer, string topic, int? partition, Message<byte[], byte[]> message)
            {
                DeliveryResult<byte[], byte[]> result;
                try
                {
                    var produceTask = partition.HasValue
                        ? localProducer.ProduceAsync(new TopicPartition(topic, partition.Value), message)
                        : localProducer.ProduceAsync(topic, message);

                    result = await produceTask.ConfigureAwait(false);
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.IsFatal)
                {
                    throw;
                }

                return result;
            }
        }
        """);

    /// <summary>confluent-kafka-dotnet examples/MultiProducer: ProduceAsync tasks left unobserved, relying on Flush.</summary>
    [Fact]
    public Task Flags_tasks_left_to_Flush_confluent_MultiProducer() => Verify("""
        public class Program
        {
            public static void Main(string[] args)
            {
                var config = new ProducerConfig { BootstrapServers = args[0] };

                using (var producer = new ProducerBuilder<string, string>(config).Build())
                {
                    {|#0:producer.ProduceAsync("first-topic", new Message<string, string> { Key = "my-key-value", Value = "my-value" })|};
                    var left = producer.Flush(TimeSpan.FromSeconds(10));
                    Console.WriteLine(left);
                }
            }
        }
        """, Unobserved(0));
}
