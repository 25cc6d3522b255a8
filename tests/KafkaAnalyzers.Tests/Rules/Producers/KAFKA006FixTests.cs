using KafkaAnalyzers.CodeFixes.Producers;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA006 fix: the error branch at the start of the handler.</summary>
public class KAFKA006FixTests
{
    private static DiagnosticResult Ignores(int location, string report = "report")
        => Diagnostic(Descriptors.KAFKA006_HandlerIgnoresError).WithLocation(location).WithArguments(report);

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync<DeliveryHandlerCodeFixProvider>("KAFKA006", source, expected, fixedSource);

    [Fact]
    public Task Method_handler_shared_by_two_calls_logs_and_returns() => VerifyFix("""
        using Microsoft.Extensions.Logging;

        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;
            private readonly ILogger _logger;
            private long _published;

            public PaymentPublisher(IProducer<string, string> producer, ILogger logger)
            {
                _producer = producer;
                _logger = logger;
            }

            public void Charge(string json) => _producer.Produce("charge", new Message<string, string> { Value = json }, {|#0:OnDelivered|});

            public void Refund(string json) => _producer.Produce("refund", new Message<string, string> { Value = json }, {|#1:OnDelivered|});

            private void OnDelivered(DeliveryReport<string, string> report)
            {
                // count what was published
                Interlocked.Increment(ref _published);
            }
        }
        """, new[] { Ignores(0), Ignores(1) }, """
        using Microsoft.Extensions.Logging;

        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;
            private readonly ILogger _logger;
            private long _published;

            public PaymentPublisher(IProducer<string, string> producer, ILogger logger)
            {
                _producer = producer;
                _logger = logger;
            }

            public void Charge(string json) => _producer.Produce("charge", new Message<string, string> { Value = json }, OnDelivered);

            public void Refund(string json) => _producer.Produce("refund", new Message<string, string> { Value = json }, OnDelivered);

            private void OnDelivered(DeliveryReport<string, string> report)
            {
                if (report.Error.IsError)
                {
                    _logger.LogError("Kafka delivery to {Topic} failed: {Reason}", report.Topic, report.Error.Reason);
                    return;
                }

                // count what was published
                Interlocked.Increment(ref _published);
            }
        }
        """);

    [Fact]
    public Task Inline_lambda_without_a_logger_captures_and_renames_a_discard() => VerifyFix("""
        public sealed class Exporter
        {
            private readonly IProducer<Null, string> _producer;
            private int _sent;

            public Exporter(IProducer<Null, string> producer) => _producer = producer;

            public void Export(string row)
            {
                _producer.Produce("export", new Message<Null, string> { Value = row }, {|#0:_ => _sent++|});
            }
        }
        """, new[] { Ignores(0, "_") }, """
        public sealed class Exporter
        {
            private readonly IProducer<Null, string> _producer;
            private int _sent;
            private Exception? _deliveryFailure;

            public Exporter(IProducer<Null, string> producer) => _producer = producer;

            public void Export(string row)
            {
                switch (Interlocked.Exchange(ref _deliveryFailure, null))
                {
                    case Exception failure:
                        throw new InvalidOperationException("A message produced earlier was not delivered to Kafka; see the inner exception.", failure);
                }

                _producer.Produce("export", new Message<Null, string> { Value = row }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.CompareExchange(ref _deliveryFailure, new ProduceException<Null, string>(report.Error, report), null);
                        return;
                    }

                    _sent++;
                });
            }
        }
        """);

    [Fact]
    public Task No_fix_for_a_method_handler_without_a_logger() => VerifyNoFixAsync<DeliveryHandlerCodeFixProvider>("KAFKA006", """
        public sealed class Exporter
        {
            private readonly IProducer<Null, string> _producer;

            public Exporter(IProducer<Null, string> producer) => _producer = producer;

            public void Export(string row) => _producer.Produce("export", new Message<Null, string> { Value = row }, {|#0:Sent|});

            private static void Sent(DeliveryReport<Null, string> report) => Console.WriteLine(report.Offset);
        }
        """, Ignores(0));
}
