using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerThroughputAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA011: Flush after every message.</summary>
public class KAFKA011Tests
{
    private const string InIteration = "in the same loop iteration as the Produce";

    private static DiagnosticResult PerMessage(int location, string where = InIteration)
        => Diagnostic(Descriptors.KAFKA011_FlushPerMessage).WithLocation(location).WithArguments(where);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA011", source, expected);

    private const string Handler = "r => { if (r.Error.IsError) Console.Error.WriteLine(r.Error.Reason); }";

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_flush_in_each_iteration() => Verify($$"""
        class Exporter
        {
            void Export(IProducer<Null, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                    {|#0:producer.Flush(TimeSpan.FromSeconds(10))|};
                }
            }
        }
        """, PerMessage(0));

    [Fact]
    public Task Flags_a_publish_method_that_flushes_its_single_message() => Verify($$"""
        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;

            public PaymentPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Publish(string paymentId, string json)
            {
                _producer.Produce("payments", new Message<string, string> { Key = paymentId, Value = json }, {{Handler}});
                {|#0:_producer.Flush(CancellationToken.None)|};
            }
        }
        """, PerMessage(0, "after the single Produce in 'Publish', which runs once per message"));

    [Fact]
    public Task Flags_a_flush_after_an_unobserved_ProduceAsync_in_a_loop() => Verify("""
        class Exporter
        {
            void Export(IProducer<Null, string> producer, string[] rows)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    _ = producer.ProduceAsync("export", new Message<Null, string> { Value = rows[i] });
                    var left = {|#0:producer.Flush(TimeSpan.FromSeconds(1))|};
                    Console.WriteLine(left);
                }
            }
        }
        """, PerMessage(0));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_a_flush_after_the_loop() => Verify($$"""
        class Exporter
        {
            void Export(IProducer<Null, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                }

                producer.Flush(TimeSpan.FromSeconds(10));
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_flush_at_batch_boundaries() => Verify($$"""
        class Exporter
        {
            void Export(IProducer<Null, string> producer, string[][] batches)
            {
                foreach (var batch in batches)
                {
                    foreach (var row in batch)
                    {
                        producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                    }

                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_Dispose_and_StopAsync() => Verify($$"""
        public sealed class Publisher : IHostedService, IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public Publisher(IProducer<string, string> producer) => _producer = producer;

            public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken)
            {
                _producer.Produce("lifecycle", new Message<string, string> { Value = "stopping" }, {{Handler}});
                _producer.Flush(cancellationToken);
                return Task.CompletedTask;
            }

            public void Dispose()
            {
                _producer.Produce("lifecycle", new Message<string, string> { Value = "stopped" }, {{Handler}});
                _producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_console_tool_that_sends_one_message_with_a_local_producer() => Verify($$"""
        public static class Program
        {
            public static void Main(string[] args)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = args[0] }).Build();
                producer.Produce(args[1], new Message<Null, string> { Value = args[2] }, {{Handler}});
                producer.Flush(TimeSpan.FromSeconds(10));
            }
        }
        """);

    [Fact]
    public Task Silent_when_each_produce_is_awaited() => Verify("""
        public sealed class Publisher
        {
            private readonly IProducer<string, string> _producer;

            public Publisher(IProducer<string, string> producer) => _producer = producer;

            public async Task PublishAsync(string json)
            {
                await _producer.ProduceAsync("orders", new Message<string, string> { Value = json });
                _producer.Flush(TimeSpan.FromSeconds(1));
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_loop_produces_several_messages_before_flushing() => Verify($$"""
        class Exporter
        {
            void Export(IProducer<Null, string> producer, string[] rows)
            {
                foreach (var row in rows)
                {
                    producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                    producer.Produce("export.audit", new Message<Null, string> { Value = row }, {{Handler}});
                    producer.Flush(TimeSpan.FromSeconds(10));
                }
            }
        }
        """);
}
