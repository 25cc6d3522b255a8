using KafkaAnalyzers.CodeFixes.Producers;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerLifetimeAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA007 fix: Flush(timeout) before disposal, and the count it returns surfaced.</summary>
public class KAFKA007FixTests
{
    private static DiagnosticResult NoFlush(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"'{holder}' is disposed without a Flush after its last Produce");

    private static DiagnosticResult NoFlushOnCancellation(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"'{holder}' is disposed on a cancellation path (OperationCanceledException) without a Flush after its last Produce");

    private static DiagnosticResult FlushIgnored(int location, string holder = "producer")
        => Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(location).WithArguments($"The count Flush returns (messages still queued) is ignored before '{holder}' is disposed");

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync<FlushBeforeDisposeCodeFixProvider>("KAFKA007", source, expected, fixedSource);

    private const string Handler = "r => { if (r.Error.IsError) Console.Error.WriteLine(r.Error.Reason); }";

    [Fact]
    public Task Dispose_method_flushes_first_and_throws_the_count_after_disposing() => VerifyFix($$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose() => {|#0:_producer.Dispose()|}; // release the client
        }
        """, new[] { NoFlush(0, "_producer") }, $$"""
        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose()
            {
                var remaining = _producer.Flush(TimeSpan.FromSeconds(10));
                _producer.Dispose(); // release the client

                if (remaining > 0)
                {
                    throw new InvalidOperationException($"{remaining} Kafka messages were not delivered before the producer was disposed");
                }
            }
        }
        """);

    [Fact]
    public Task Ignored_flush_is_reused_and_the_count_logged() => VerifyFix($$"""
        using Microsoft.Extensions.Logging;

        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();
            private readonly ILogger<OrderPublisher> _logger;

            public OrderPublisher(ILogger<OrderPublisher> logger) => _logger = logger;

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose()
            {
                _producer.Flush(TimeSpan.FromSeconds(30));
                {|#0:_producer.Dispose()|};
            }
        }
        """, new[] { FlushIgnored(0, "_producer") }, $$"""
        using Microsoft.Extensions.Logging;

        public sealed class OrderPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig()).Build();
            private readonly ILogger<OrderPublisher> _logger;

            public OrderPublisher(ILogger<OrderPublisher> logger) => _logger = logger;

            public void Publish(string json) => _producer.Produce("orders", new Message<string, string> { Value = json }, {{Handler}});

            public void Dispose()
            {
                var remaining = _producer.Flush(TimeSpan.FromSeconds(30));
                _producer.Dispose();

                if (remaining > 0)
                {
                    _logger.LogError("{Count} Kafka messages were not delivered before the producer was disposed", remaining);
                }
            }
        }
        """);

    [Fact]
    public Task Using_declaration_gets_a_finally_that_covers_cancellation() => VerifyFix($$"""
        public sealed class ClickForwarder : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using {|#0:var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = "kafka:9092" }).Build()|};
                // forward clicks until the host stops
                while (!stoppingToken.IsCancellationRequested)
                {
                    producer.Produce("clicks", new Message<Null, string> { Value = "{}" }, {{Handler}});
                    await Task.Delay(100, stoppingToken);
                }

                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }
        """, new[] { NoFlushOnCancellation(0) }, $$"""
        public sealed class ClickForwarder : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = "kafka:9092" }).Build();
                try
                {
                    // forward clicks until the host stops
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        producer.Produce("clicks", new Message<Null, string> { Value = "{}" }, {{Handler}});
                        await Task.Delay(100, stoppingToken);
                    }
                }
                finally
                {
                    var remaining = producer.Flush(TimeSpan.FromSeconds(5));
                    if (remaining > 0)
                    {
                        throw new InvalidOperationException($"{remaining} Kafka messages were not delivered before the producer was disposed");
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Using_statement_body_is_wrapped() => VerifyFix($$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using ({|#0:var producer = new ProducerBuilder<Null, string>(config).Build()|})
                {
                    foreach (var row in rows)
                    {
                        producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                    }
                }
            }
        }
        """, new[] { NoFlush(0) }, $$"""
        class Exporter
        {
            void Export(ProducerConfig config, string[] rows)
            {
                using (var producer = new ProducerBuilder<Null, string>(config).Build())
                {
                    try
                    {
                        foreach (var row in rows)
                        {
                            producer.Produce("export", new Message<Null, string> { Value = row }, {{Handler}});
                        }
                    }
                    finally
                    {
                        var remaining = producer.Flush(TimeSpan.FromSeconds(10));
                        if (remaining > 0)
                        {
                            throw new InvalidOperationException($"{remaining} Kafka messages were not delivered before the producer was disposed");
                        }
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Conditional_dispose_in_StopAsync() => VerifyFix($$"""
        public sealed class AuditSink : IHostedService
        {
            private IProducer<Null, string>? _producer;

            public Task StartAsync(CancellationToken cancellationToken)
            {
                _producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();
                return Task.CompletedTask;
            }

            public void Write(string entry) => _producer?.Produce("audit", new Message<Null, string> { Value = entry }, {{Handler}});

            public Task StopAsync(CancellationToken cancellationToken)
            {
                {|#0:_producer?.Dispose()|};
                return Task.CompletedTask;
            }
        }
        """, new[] { NoFlush(0, "_producer") }, $$"""
        public sealed class AuditSink : IHostedService
        {
            private IProducer<Null, string>? _producer;

            public Task StartAsync(CancellationToken cancellationToken)
            {
                _producer = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();
                return Task.CompletedTask;
            }

            public void Write(string entry) => _producer?.Produce("audit", new Message<Null, string> { Value = entry }, {{Handler}});

            public Task StopAsync(CancellationToken cancellationToken)
            {
                var remaining = _producer?.Flush(TimeSpan.FromSeconds(10)) ?? 0;
                _producer?.Dispose();

                if (remaining > 0)
                {
                    throw new InvalidOperationException($"{remaining} Kafka messages were not delivered before the producer was disposed");
                }

                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task No_fix_for_a_field_that_is_never_disposed() => VerifyNoFixAsync<FlushBeforeDisposeCodeFixProvider>("KAFKA007", $$"""
        public sealed class MetricsPublisher
        {
            private readonly IProducer<Null, string> {|#0:_producer|} = new ProducerBuilder<Null, string>(new ProducerConfig()).Build();

            public void Publish(string json) => _producer.Produce("metrics", new Message<Null, string> { Value = json }, {{Handler}});
        }
        """, Diagnostic(Descriptors.KAFKA007_DisposedWithoutFlush).WithLocation(0).WithArguments("'_producer' is produced through but no Dispose, DisposeAsync or StopAsync of MetricsPublisher flushes it"));
}
