using KafkaAnalyzers.CodeFixes.Producers;
using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Producers.CallSiteVerifier<KafkaAnalyzers.Producers.ProducerDeliveryAnalyzer>;

namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>KAFKA005 fix: await the task, making the method async only where every caller still compiles.</summary>
public class KAFKA005FixTests
{
    private static DiagnosticResult Discarded(int location)
        => Diagnostic(Descriptors.KAFKA005_ProduceAsyncNotObserved).WithLocation(location).WithArguments("The task ProduceAsync returns is discarded");

    private static Task VerifyFix(string source, DiagnosticResult[] expected, string fixedSource)
        => VerifyFixAsync<AwaitProduceAsyncCodeFixProvider>("KAFKA005", source, expected, fixedSource);

    private static Task VerifyNoFix(string source, params DiagnosticResult[] expected)
        => VerifyNoFixAsync<AwaitProduceAsyncCodeFixProvider>("KAFKA005", source, expected);

    [Fact]
    public Task Awaits_in_an_async_method_and_keeps_comments() => VerifyFix("""
        class Service
        {
            async Task PublishAsync(IProducer<string, string> producer, Message<string, string> message)
            {
                // fire and forget, "for speed"
                {|#0:producer.ProduceAsync("orders", message)|}; // no await
                _ = {|#1:producer.ProduceAsync("audit", message)|};
                await Task.Yield();
            }
        }
        """, new[] { Discarded(0), Discarded(1) }, """
        class Service
        {
            async Task PublishAsync(IProducer<string, string> producer, Message<string, string> message)
            {
                // fire and forget, "for speed"
                await producer.ProduceAsync("orders", message); // no await
                await producer.ProduceAsync("audit", message);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Makes_a_Task_method_returning_CompletedTask_async() => VerifyFix("""
        public interface IOrderHandler { Task HandleAsync(string json); }

        public sealed class OrderHandler : IOrderHandler
        {
            private readonly IProducer<string, string> _producer;

            public OrderHandler(IProducer<string, string> producer) => _producer = producer;

            public Task HandleAsync(string json)
            {
                if (json.Length == 0)
                {
                    return Task.CompletedTask;
                }

                {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Value = json })|};
                return Task.CompletedTask;
            }
        }
        """, new[] { Discarded(0) }, """
        public interface IOrderHandler { Task HandleAsync(string json); }

        public sealed class OrderHandler : IOrderHandler
        {
            private readonly IProducer<string, string> _producer;

            public OrderHandler(IProducer<string, string> producer) => _producer = producer;

            public async Task HandleAsync(string json)
            {
                if (json.Length == 0)
                {
                    return;
                }

                await _producer.ProduceAsync("orders", new Message<string, string> { Value = json });
            }
        }
        """);

    [Fact]
    public Task Makes_a_private_void_method_called_from_sync_code_async_Task() => VerifyFix("""
        public sealed class Checkout
        {
            private readonly IProducer<string, string> _producer;

            public Checkout(IProducer<string, string> producer) => _producer = producer;

            public void Complete(string json)
            {
                Publish(json);
            }

            private void Publish(string json)
            {
                {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Value = json })|};
            }
        }
        """, new[] { Discarded(0) }, """
        public sealed class Checkout
        {
            private readonly IProducer<string, string> _producer;

            public Checkout(IProducer<string, string> producer) => _producer = producer;

            public void Complete(string json)
            {
                Publish(json);
            }

            private async Task Publish(string json)
            {
                await _producer.ProduceAsync("orders", new Message<string, string> { Value = json });
            }
        }
        """);

    [Fact]
    public Task No_fix_for_an_interface_implementation_returning_void() => VerifyNoFix("""
        public interface IOrderSink { void Accept(string json); }

        public sealed class KafkaOrderSink : IOrderSink
        {
            private readonly IProducer<string, string> _producer;

            public KafkaOrderSink(IProducer<string, string> producer) => _producer = producer;

            public void Accept(string json)
            {
                {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Value = json })|};
            }
        }
        """, Discarded(0));

    [Fact]
    public Task No_fix_for_an_override_a_public_void_method_or_a_delegate_target() => VerifyNoFix("""
        public abstract class Sink { public abstract void Accept(string json); }

        public sealed class KafkaSink : Sink
        {
            private readonly IProducer<string, string> _producer;

            public KafkaSink(IProducer<string, string> producer) => _producer = producer;

            public override void Accept(string json)
            {
                {|#0:_producer.ProduceAsync("a", new Message<string, string> { Value = json })|};
            }

            public void Publish(string json)
            {
                {|#1:_producer.ProduceAsync("b", new Message<string, string> { Value = json })|};
            }

            public Action<string> Callback => Send;

            private void Send(string json)
            {
                {|#2:_producer.ProduceAsync("c", new Message<string, string> { Value = json })|};
            }
        }
        """, Discarded(0), Discarded(1), Discarded(2));

    [Fact]
    public Task No_fix_when_an_async_caller_would_get_CS4014_or_inside_a_lock_or_a_sync_lambda() => VerifyNoFix("""
        public sealed class Checkout
        {
            private readonly IProducer<string, string> _producer;
            private readonly object _gate = new();

            public Checkout(IProducer<string, string> producer) => _producer = producer;

            public async Task CompleteAsync(string json)
            {
                Publish(json);
                await Task.Yield();
                lock (_gate)
                {
                    {|#1:_producer.ProduceAsync("locked", new Message<string, string> { Value = json })|};
                }

                Array.ForEach(new[] { json }, j => {|#2:_producer.ProduceAsync("each", new Message<string, string> { Value = j })|});
            }

            private void Publish(string json)
            {
                {|#0:_producer.ProduceAsync("orders", new Message<string, string> { Value = json })|};
            }
        }
        """, Discarded(0), Discarded(1), Discarded(2));
}
