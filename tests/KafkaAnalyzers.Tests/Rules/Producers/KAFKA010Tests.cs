using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerThroughputAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA010: ProduceAsync awaited one message at a time in a loop.</summary>
public class KAFKA010Tests
{
    private static DiagnosticResult OneAtATime(int location) => Diagnostic(Descriptors.KAFKA010_AwaitInLoop).WithLocation(location);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA010", source, expected);

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_batch_exporter_awaiting_each_row() => Verify("""
        public sealed class BatchExporter
        {
            private readonly IProducer<Null, string> _producer;

            public BatchExporter(IProducer<Null, string> producer) => _producer = producer;

            public async Task ExportAsync(IEnumerable<string> rows, CancellationToken cancellationToken)
            {
                foreach (var row in rows)
                {
                    {|#0:await _producer.ProduceAsync("export", new Message<Null, string> { Value = row }, cancellationToken)|};
                }
            }
        }
        """, OneAtATime(0));

    [Fact]
    public Task Flags_for_while_and_await_foreach_loops_with_ConfigureAwait() => Verify("""
        class Relay
        {
            async Task Run(IProducer<string, string> producer, string[] rows, IAsyncEnumerable<string> stream)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var result = {|#0:await producer.ProduceAsync("a", new Message<string, string> { Value = rows[i] }).ConfigureAwait(false)|};
                    Console.WriteLine(result.Offset);
                }

                var queue = new Queue<string>(rows);
                while (queue.TryDequeue(out var row))
                {
                    {|#1:await producer.ProduceAsync("b", new Message<string, string> { Value = row })|};
                }

                await foreach (var item in stream)
                {
                    {|#2:await producer.ProduceAsync("c", new Message<string, string> { Value = item })|};
                }
            }
        }
        """, OneAtATime(0), OneAtATime(1), OneAtATime(2));

    [Fact]
    public Task Flags_an_outbox_relay() => Verify("""
        public sealed record OutboxMessage(string Topic, string Payload) { public bool Sent { get; set; } }

        public sealed class OutboxRelay
        {
            private readonly IProducer<string, string> _producer;

            public OutboxRelay(IProducer<string, string> producer) => _producer = producer;

            public async Task RelayAsync(List<OutboxMessage> pending)
            {
                foreach (var message in pending)
                {
                    {|#0:await _producer.ProduceAsync(message.Topic, new Message<string, string> { Value = message.Payload })|};
                    message.Sent = true;
                }
            }
        }
        """, OneAtATime(0));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_outside_a_loop() => Verify("""
        class Publisher
        {
            async Task Publish(IProducer<string, string> producer, string json)
                => await producer.ProduceAsync("orders", new Message<string, string> { Value = json });
        }
        """);

    [Fact]
    public Task Silent_when_the_batch_is_awaited_together() => Verify("""
        class Exporter
        {
            async Task Export(IProducer<Null, string> producer, string[][] batches)
            {
                foreach (var batch in batches)
                {
                    await Task.WhenAll(batch.Select(row => producer.ProduceAsync("export", new Message<Null, string> { Value = row })));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_retry_loop() => Verify("""
        class Publisher
        {
            async Task Publish(IProducer<string, string> producer, string json)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await producer.ProduceAsync("orders", new Message<string, string> { Value = json });
                        return;
                    }
                    catch (ProduceException<string, string>) when (attempt < 3)
                    {
                        await Task.Delay(100 * attempt);
                    }
                }
            }

            async Task PublishUntilDone(IProducer<string, string> producer, string json)
            {
                while (true)
                {
                    try
                    {
                        await producer.ProduceAsync("orders", new Message<string, string> { Value = json });
                        break;
                    }
                    catch (ProduceException<string, string>)
                    {
                        await Task.Delay(1000);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_in_a_consume_transform_produce_loop() => Verify("""
        public sealed class Enricher : BackgroundService
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly IProducer<string, string> _producer;

            public Enricher(IConsumer<string, string> consumer, IProducer<string, string> producer)
            {
                _consumer = consumer;
                _producer = producer;
            }

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var input = _consumer.Consume(stoppingToken);
                    await _producer.ProduceAsync("enriched", new Message<string, string> { Key = input.Message.Key, Value = input.Message.Value.ToUpperInvariant() }, stoppingToken);
                    _consumer.StoreOffset(input);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_await_is_inside_a_lambda_in_the_loop() => Verify("""
        class Exporter
        {
            async Task Export(IProducer<Null, string> producer, string[] rows)
            {
                var tasks = new List<Task>();
                foreach (var row in rows)
                {
                    tasks.Add(Task.Run(async () => await producer.ProduceAsync("export", new Message<Null, string> { Value = row })));
                }

                await Task.WhenAll(tasks);
            }
        }
        """);

    [Fact]
    public Task Silent_for_other_awaits_in_a_loop() => Verify("""
        class Exporter
        {
            async Task Export(IProducer<Null, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    await Task.Delay(10);
                    producer.Produce("export", new Message<Null, string> { Value = row }, r => Console.WriteLine(r.Error));
                }
            }
        }
        """);

    // ---- regressions from real projects -------------------------------------------------------------

    /// <summary>confluent-kafka-dotnet examples/AvroGeneric (and JsonSerialization, OAuthProducer...): one message per line the user types.</summary>
    [Fact]
    public Task Silent_for_an_interactive_console_loop_confluent_examples() => Verify("""
        class Program
        {
            static async Task Run(IProducer<string, string> producer, string topicName)
            {
                string? text;
                while ((text = Console.ReadLine()) != "q")
                {
                    try
                    {
                        var dr = await producer.ProduceAsync(topicName, new Message<string, string> { Key = text, Value = text! });
                        Console.WriteLine($"produced to: {dr.TopicPartitionOffset}");
                    }
                    catch (ProduceException<string, string> ex)
                    {
                        Console.WriteLine($"error producing message: {ex}");
                    }
                }
            }
        }
        """);

    /// <summary>confluent-kafka-dotnet examples/ExactlyOnce: a loop slowed down on purpose with Task.Delay.</summary>
    [Fact]
    public Task Silent_for_a_loop_paced_with_Task_Delay_confluent_ExactlyOnce() => Verify("""
        class Program
        {
            static async Task Produce(IProducer<Null, string> producer, string[] lines, CancellationToken ct)
            {
                foreach (var l in lines)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    await producer.ProduceAsync("input-lines", new Message<Null, string> { Value = l }, ct);
                }
            }
        }
        """);

    /// <summary>confluent-kafka-dotnet examples/OAuthProducer: one message a second until Ctrl+C, paced with Thread.Sleep.</summary>
    [Fact]
    public Task Silent_for_a_loop_paced_with_Thread_Sleep_confluent_OAuthProducer() => Verify("""
        class Program
        {
            static volatile bool cancelled;

            static async Task Produce(IProducer<string, string> producer, string topicName)
            {
                var msgCnt = 0;
                while (!cancelled)
                {
                    var msg = $"Producer example, message #{msgCnt++}";
                    try
                    {
                        var deliveryReport = await producer.ProduceAsync(topicName, new Message<string, string> { Value = msg });
                        Console.WriteLine($"Produced message to {deliveryReport.TopicPartitionOffset}, {msg}");
                    }
                    catch (ProduceException<string, string> e)
                    {
                        Console.WriteLine($"failed to deliver message: {e.Message} [{e.Error.Code}]");
                    }

                    Thread.Sleep(1000);
                }
            }
        }
        """);

    /// <summary>levant47/EPAM-.NET-Program-Advanced CatalogService MessagingService: an outbox relay awaiting each message inside the polling loop.</summary>
    [Fact]
    public Task Flags_an_outbox_relay_that_awaits_each_message_levant47_catalog_service() => Verify("""
        public sealed record OutboxMessage(int Id, string Name, string Contents);

        public class MessagingService
        {
            private readonly Func<Task<OutboxMessage[]>> _pending;
            private readonly Func<int, Task> _delete;

            public MessagingService(Func<Task<OutboxMessage[]>> pending, Func<int, Task> delete)
            {
                _pending = pending;
                _delete = delete;
            }

            public async Task Produce(string server, CancellationToken cancellationToken)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = server, EnableIdempotence = true }).Build();
                while (!cancellationToken.IsCancellationRequested)
                {
                    var messages = await _pending();
                    foreach (var message in messages)
                    {
                        {|#0:await producer.ProduceAsync(message.Name, new() { Value = message.Contents }, cancellationToken)|};
                        await _delete(message.Id);
                    }

                    producer.Flush(cancellationToken);
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                }
            }
        }
        """, OneAtATime(0));
}
