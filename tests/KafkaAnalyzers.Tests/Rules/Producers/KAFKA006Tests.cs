using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA006: a delivery handler that never reads Error or Status.</summary>
public class KAFKA006Tests
{
    private static DiagnosticResult Ignores(int location, string report = "report")
        => Diagnostic(Descriptors.KAFKA006_HandlerIgnoresError).WithLocation(location).WithArguments(report);

    private static Task Verify(string source, params DiagnosticResult[] expected) => VerifyAsync("KAFKA006", source, expected);

    // ---- flagged ----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_a_lambda_that_logs_the_offset() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => producer.Produce("orders", message, {|#0:report => Console.WriteLine($"sent to {report.TopicPartitionOffset}")|});
        }
        """, Ignores(0));

    [Fact]
    public Task Flags_an_anonymous_method_and_a_lambda_with_a_block_body() => Verify("""
        class Service
        {
            private int _sent;

            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("a", message, {|#0:delegate (DeliveryReport<string, string> r) { _sent++; }|});
                producer.Produce("b", message, {|#1:dr =>
                {
                    _sent++;
                    Console.WriteLine(dr.Message.Key);
                }|});
            }
        }
        """, Ignores(0, "r"), Ignores(1, "dr"));

    [Fact]
    public Task Flags_a_discarded_report_parameter() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => producer.Produce("orders", message, {|#0:_ => { }|});
        }
        """, Ignores(0, "_"));

    [Fact]
    public Task Flags_a_local_function() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("orders", message, {|#0:Delivered|});

                void Delivered(DeliveryReport<string, string> delivered) => Console.WriteLine(delivered.Offset);
            }
        }
        """, Ignores(0, "delivered"));

    [Fact]
    public Task Flags_a_method_group_of_this_type_used_by_two_calls() => Verify("""
        public sealed class PaymentPublisher
        {
            private readonly IProducer<string, string> _producer;
            private long _published;

            public PaymentPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Charge(string json) => _producer.Produce("payments.charge", new Message<string, string> { Value = json }, {|#0:OnDelivered|});

            public void Refund(string json) => _producer.Produce("payments.refund", new Message<string, string> { Value = json }, {|#1:OnDelivered|});

            private void OnDelivered(DeliveryReport<string, string> report) => Interlocked.Increment(ref _published);
        }
        """, Ignores(0), Ignores(1));

    [Fact]
    public Task Flags_a_readonly_Action_field() => Verify("""
        public sealed class AuditWriter
        {
            private readonly IProducer<Null, string> _producer;
            private readonly Action<DeliveryReport<Null, string>> _onDelivery = report => Console.WriteLine(report.Topic);

            public AuditWriter(IProducer<Null, string> producer) => _producer = producer;

            public void Write(string entry) => _producer.Produce("audit", new Message<Null, string> { Value = entry }, {|#0:_onDelivery|});
        }
        """, Ignores(0));

    [Fact]
    public Task Flags_an_Action_field_set_in_the_constructor() => Verify("""
        public sealed class AuditWriter
        {
            private readonly IProducer<Null, string> _producer;
            private readonly Action<DeliveryReport<Null, string>> _onDelivery;

            public AuditWriter(IProducer<Null, string> producer)
            {
                _producer = producer;
                _onDelivery = Count;
            }

            public void Write(string entry) => _producer.Produce("audit", new Message<Null, string> { Value = entry }, {|#0:_onDelivery|});

            private static void Count(DeliveryReport<Null, string> report) { }
        }
        """, Ignores(0));

    // ---- silent -----------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_handler_checks_Error() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("a", message, r => { if (r.Error.IsError) Console.Error.WriteLine(r.Error.Reason); });
                producer.Produce("b", message, r => Console.WriteLine(r.Error.Code));
                producer.Produce("c", message, r => Console.WriteLine(r.TopicPartitionOffsetError));
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_handler_checks_Status() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
                => producer.Produce("a", message, r =>
                {
                    if (r.Status != PersistenceStatus.Persisted)
                    {
                        Console.Error.WriteLine("not stored");
                    }
                });
        }
        """);

    [Fact]
    public Task Silent_when_the_report_is_passed_on_or_pattern_matched() => Verify("""
        class Service
        {
            private readonly TaskCompletionSource<DeliveryReport<string, string>> _done = new();

            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("a", message, r => _done.TrySetResult(r));
                producer.Produce("b", message, r => Handle(r));
                producer.Produce("c", message, r => { if (r is { Error.IsError: true }) Console.Error.WriteLine("failed"); });
            }

            static void Handle(DeliveryReport<string, string> report) { }
        }
        """);

    [Fact]
    public Task Silent_when_a_method_handler_reads_the_outcome() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message) => producer.Produce("orders", message, OnDelivery);

            void OnDelivery(DeliveryReport<string, string> report)
            {
                if (report.Error.IsError)
                {
                    throw new InvalidOperationException(report.Error.Reason);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_handler_body_cannot_be_read() => Verify("""
        public abstract class Publisher
        {
            private readonly IProducer<string, string> _producer;
            private Action<DeliveryReport<string, string>> _mutable = r => { };

            protected Publisher(IProducer<string, string> producer) => _producer = producer;

            public void Publish(Message<string, string> message, Action<DeliveryReport<string, string>> forwarded)
            {
                _producer.Produce("a", message, forwarded);
                _producer.Produce("b", message, OnDelivery);
                _producer.Produce("c", message, _mutable);
                _producer.Produce("d", message, Handlers.Log);
            }

            public void Replace(Action<DeliveryReport<string, string>> handler) => _mutable = handler;

            protected abstract void OnDelivery(DeliveryReport<string, string> report);
        }

        static class Handlers { public static void Log(DeliveryReport<string, string> report) { } }
        """);

    [Fact]
    public Task Silent_when_the_handler_reads_Error_through_conditional_access_or_a_switch() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.Produce("a", message, r => Console.WriteLine(r?.Error.IsError));
                producer.Produce("b", message, r =>
                {
                    var text = r.Status switch
                    {
                        PersistenceStatus.Persisted => "stored",
                        _ => "maybe lost",
                    };
                    Console.WriteLine(text);
                });
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_handler_field_or_local_that_checks_Error() => Verify("""
        public sealed class AuditPublisher
        {
            private readonly IProducer<string, string> _producer;
            private readonly Action<DeliveryReport<string, string>> _onDelivery = report =>
            {
                if (report.Error.IsError)
                {
                    Console.Error.WriteLine(report.Error.Reason);
                }
            };

            public AuditPublisher(IProducer<string, string> producer) => _producer = producer;

            public void Publish(Message<string, string> message)
            {
                _producer.Produce("audit", message, _onDelivery);
                Action<DeliveryReport<string, string>> local = r => { if (r.Error.IsError) throw new KafkaException(r.Error); };
                _producer.Produce("audit.copy", message, local);
            }
        }
        """);

    [Fact]
    public Task Silent_inside_a_mock_expression_tree() => Verify("""
        using System.Linq.Expressions;

        public interface IMock<T> { void Verify(Expression<Action<T>> call); }

        class PublisherTests
        {
            void Verifies(IMock<IProducer<string, string>> mock, Message<string, string> message)
                => mock.Verify(p => p.Produce("orders", message, r => Console.WriteLine(r.Offset)));
        }
        """);

    [Fact]
    public Task Silent_for_a_transactional_producer() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message)
            {
                producer.BeginTransaction();
                producer.Produce("orders", message, r => Console.WriteLine(r.Offset));
                producer.CommitTransaction();
            }
        }
        """);

    [Fact]
    public Task Silent_without_a_handler_which_is_KAFKA004() => Verify("""
        class Service
        {
            void Run(IProducer<string, string> producer, Message<string, string> message) => producer.Produce("orders", message);
        }
        """);
}
