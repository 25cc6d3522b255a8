using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA115: the input's offset is committed (or stored) before the output produced for it is confirmed.</summary>
public class KAFKA115Tests
{
    private const string Rule = "KAFKA115";

    private const string Async = "'ProduceAsync' (not awaited before it)";
    private const string Sync = "'Produce' (no Flush before it)";

    private static DiagnosticResult Expected(int commit, string method, string what, params int[] outputs)
    {
        var result = Diagnostic(Descriptors.KAFKA115_InputCommittedBeforeOutputConfirmed).WithLocation(commit);
        foreach (var output in outputs)
        {
            result = result.WithLocation(output);
        }

        return result.WithArguments(method, what);
    }

    /// <summary>A consume-transform-produce worker; <paramref name="body"/> is the loop body after the consume.</summary>
    private static string Loop(string body, string modifiers = "async Task", string members = "") => $$"""
        public sealed class Enricher
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly IProducer<string, string> _producer;

            public Enricher(IConsumer<string, string> consumer, IProducer<string, string> producer)
            {
                _consumer = consumer;
                _producer = producer;
            }

            public {{modifiers}} RunAsync(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var result = _consumer.Consume(ct);
        {{body}}
                }
            }

            private static string Enrich(string value) => value.ToUpperInvariant();
        {{members}}
        }
        """;

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_commit_after_discarded_produce_async()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.ProduceAsync("enriched", new Message<string, string> { Key = result.Message.Key, Value = Enrich(result.Message.Value) })|};
                        {|#0:_consumer.Commit(result)|};
            """), Expected(0, "Commit", Async, 1));

    [Fact]
    public Task Flags_commit_before_the_stored_task_is_awaited()
        => VerifyAsync(Rule, Loop("""
                        var delivery = {|#1:_producer.ProduceAsync("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) }, ct)|};
                        {|#0:_consumer.Commit(result)|};
                        await delivery;
            """), Expected(0, "Commit", Async, 1));

    [Fact]
    public Task Flags_store_offset_after_produce_with_a_handler_and_no_flush()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) }, report =>
                        {
                            if (report.Error.IsError) Console.WriteLine(report.Error.Reason);
                        })|};
                        {|#0:_consumer.StoreOffset(result)|};
            """, modifiers: "void"), Expected(0, "StoreOffset", Sync, 1));

    [Fact]
    public Task Flags_argument_less_commit_after_produce_without_handler()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) })|};
                        {|#0:_consumer.Commit()|};
            """, modifiers: "void"), Expected(0, "Commit", Sync, 1));

    [Fact]
    public Task Flags_commit_of_an_offset_built_from_the_result()
        => VerifyAsync(Rule, Loop("""
                        _ = {|#1:_producer.ProduceAsync("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) })|};
                        {|#0:_consumer.Commit(new[] { new TopicPartitionOffset(result.TopicPartition, result.Offset + 1) })|};
            """), Expected(0, "Commit", Async, 1));

    [Fact]
    public Task Flags_commit_reached_on_the_branch_that_does_not_await()
        => VerifyAsync(Rule, Loop("""
                        var task = {|#1:_producer.ProduceAsync("enriched", new Message<string, string> { Value = result.Message.Value })|};
                        if (result.Message.Key == "urgent")
                        {
                            await task;
                        }

                        {|#0:_consumer.Commit(result)|};
            """), Expected(0, "Commit", Async, 1));

    [Fact]
    public Task Flags_commit_in_a_message_handler()
        => VerifyAsync(Rule, """
            public sealed class Forwarder
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public Forwarder(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                }

                public Task HandleAsync(ConsumeResult<string, string> message)
                {
                    {|#1:_producer.ProduceAsync("audit", message.Message)|};
                    {|#0:_consumer.StoreOffset(message)|};
                    return Task.CompletedTask;
                }
            }
            """, Expected(0, "StoreOffset", Async, 1));

    [Fact]
    public Task Flags_every_unconfirmed_output_before_one_commit()
        => VerifyAsync(Rule, Loop("""
                        var first = {|#1:_producer.ProduceAsync("a", new Message<string, string> { Value = result.Message.Value })|};
                        var second = {|#2:_producer.ProduceAsync("b", new Message<string, string> { Value = result.Message.Value })|};
                        {|#0:_consumer.Commit(result)|};
                        await Task.WhenAll(first, second);
            """), Expected(0, "Commit", Async, 1, 2));

    [Fact]
    public Task Flags_a_local_producer_built_in_the_method()
        => VerifyAsync(Rule, """
            public static class Pipe
            {
                public static void Run(ConsumerConfig consumerConfig, ProducerConfig producerConfig, CancellationToken ct)
                {
                    using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
                    using var producer = new ProducerBuilder<string, string>(producerConfig).Build();
                    consumer.Subscribe("in");
                    try
                    {
                        while (true)
                        {
                            var result = consumer.Consume(ct);
                            {|#1:producer.Produce("out", result.Message)|};
                            {|#0:consumer.Commit(result)|};
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    finally
                    {
                        producer.Flush(TimeSpan.FromSeconds(10));
                        consumer.Close();
                    }
                }
            }
            """, Expected(0, "Commit", Sync, 1));

    [Fact]
    public Task Flags_flush_of_the_previous_iteration_does_not_count()
        => VerifyAsync(Rule, Loop("""
                        _producer.Flush(ct);
                        {|#1:_producer.Produce("enriched", result.Message)|};
                        {|#0:_consumer.Commit(result)|};
            """, modifiers: "void"), Expected(0, "Commit", Sync, 1));

    [Fact]
    public Task Flags_a_wait_that_the_handler_never_signals()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", result.Message, report => Console.WriteLine(report.Error.Reason))|};
                        await Task.Delay(10, ct);
                        {|#0:_consumer.Commit(result)|};
            """), Expected(0, "Commit", Sync, 1));

    [Fact]
    public Task Flags_store_after_a_dead_letter_produce_in_a_catch()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                            {|#1:_producer.Produce("orders-dlq", result.Message)|};
                        }

                        {|#0:_consumer.StoreOffset(result)|};
            """, modifiers: "void", members: """
                private static void Apply(string value) { }
            """), Expected(0, "StoreOffset", Sync, 1));

    [Fact]
    public Task Silent_when_the_dead_letter_is_awaited_in_the_catch()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                            await _producer.ProduceAsync("orders-dlq", result.Message, ct);
                        }

                        _consumer.StoreOffset(result);
            """, members: """
                private static void Apply(string value) { }
            """));

    [Fact]
    public Task Silent_when_a_swallowed_failure_of_the_awaited_output_is_all_there_is()
        => VerifyAsync(Rule, Loop("""
                        var delivery = _producer.ProduceAsync("enriched", result.Message, ct);
                        try
                        {
                            await delivery;
                        }
                        catch (ProduceException<string, string> ex)
                        {
                            Console.WriteLine(ex.Error.Reason);
                        }

                        _consumer.StoreOffset(result);
            """));

    // ---- fix ------------------------------------------------------------------------------------

    [Fact]
    public Task Fix_awaits_a_discarded_produce_async_in_place()
        => VerifyFixAsync(Rule, Loop("""
                        // forward the enriched order
                        _ = {|#1:_producer.ProduceAsync("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) })|}; // fire and forget?
                        {|#0:_consumer.Commit(result)|};
            """), new[] { Expected(0, "Commit", Async, 1) }, Loop("""
                        // forward the enriched order
                        await _producer.ProduceAsync("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) }); // fire and forget?
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Fix_awaits_the_stored_task_before_the_commit()
        => VerifyFixAsync(Rule, Loop("""
                        var delivery = {|#1:_producer.ProduceAsync("enriched", result.Message, ct)|};
                        Console.WriteLine("sent");
                        // the input is done
                        {|#0:_consumer.StoreOffset(result)|}; // after the output
                        var report = await delivery;
            """), new[] { Expected(0, "StoreOffset", Async, 1) }, Loop("""
                        var delivery = _producer.ProduceAsync("enriched", result.Message, ct);
                        Console.WriteLine("sent");
                        await delivery;
                        // the input is done
                        _consumer.StoreOffset(result); // after the output
                        var report = await delivery;
            """));

    [Fact]
    public Task Fix_all_awaits_every_output_of_every_commit()
        => VerifyFixAsync(Rule, Loop("""
                        var first = {|#1:_producer.ProduceAsync("a", result.Message)|};
                        {|#2:_producer.ProduceAsync("b", result.Message)|};
                        if (result.Message.Key == "x")
                        {
                            {|#0:_consumer.Commit(result)|};
                            continue;
                        }

                        {|#3:_consumer.StoreOffset(result)|};
                        await first;
            """), new[] { Expected(0, "Commit", Async, 1, 2), Expected(3, "StoreOffset", Async, 1, 2) }, Loop("""
                        var first = _producer.ProduceAsync("a", result.Message);
                        await _producer.ProduceAsync("b", result.Message);
                        if (result.Message.Key == "x")
                        {
                            await first;
                            _consumer.Commit(result);
                            continue;
                        }

                        await first;
                        _consumer.StoreOffset(result);
                        await first;
            """));

    [Fact]
    public Task Fix_awaits_two_stored_tasks_and_keeps_blank_line_and_comments()
        => VerifyFixAsync(Rule, Loop("""
                        var audit = {|#1:_producer.ProduceAsync("audit", result.Message)|};
                        var mirror = {|#2:_producer.ProduceAsync("mirror", result.Message)|};

                        // both outputs are on their way
                        /* now the input */ {|#0:_consumer.Commit(result)|};
                        await Task.WhenAll(audit, mirror);
            """), new[] { Expected(0, "Commit", Async, 1, 2) }, Loop("""
                        var audit = _producer.ProduceAsync("audit", result.Message);
                        var mirror = _producer.ProduceAsync("mirror", result.Message);

                        await audit;
                        await mirror;
                        // both outputs are on their way
                        /* now the input */ _consumer.Commit(result);
                        await Task.WhenAll(audit, mirror);
            """));

    [Fact]
    public Task Fix_all_in_two_handlers()
        => VerifyFixAsync(Rule, """
            public sealed class Forwarder
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public Forwarder(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                }

                public async Task AuditAsync(ConsumeResult<string, string> message)
                {
                    {|#1:_producer.ProduceAsync("audit", message.Message)|};
                    {|#0:_consumer.StoreOffset(message)|};
                    await Task.Yield();
                }

                public async Task MirrorAsync(ConsumeResult<string, string> message)
                {
                    var sent = {|#3:_producer.ProduceAsync("mirror", message.Message)|};
                    {|#2:_consumer.StoreOffset(message)|};
                    await sent;
                }
            }
            """, new[] { Expected(0, "StoreOffset", Async, 1), Expected(2, "StoreOffset", Async, 3) }, """
            public sealed class Forwarder
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public Forwarder(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                }

                public async Task AuditAsync(ConsumeResult<string, string> message)
                {
                    await _producer.ProduceAsync("audit", message.Message);
                    _consumer.StoreOffset(message);
                    await Task.Yield();
                }

                public async Task MirrorAsync(ConsumeResult<string, string> message)
                {
                    var sent = _producer.ProduceAsync("mirror", message.Message);
                    await sent;
                    _consumer.StoreOffset(message);
                    await sent;
                }
            }
            """);

    [Fact]
    public Task No_fix_for_produce()
        => VerifyNoFixAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", result.Message)|};
                        {|#0:_consumer.Commit(result)|};
            """), new[] { Expected(0, "Commit", Sync, 1) });

    [Fact]
    public Task No_fix_outside_an_async_method()
        => VerifyNoFixAsync(Rule, Loop("""
                        _ = {|#1:_producer.ProduceAsync("enriched", result.Message)|};
                        {|#0:_consumer.Commit(result)|};
            """, modifiers: "void"), new[] { Expected(0, "Commit", Async, 1) });

    [Fact]
    public Task No_fix_when_the_task_is_out_of_scope_at_the_commit()
        => VerifyNoFixAsync(Rule, Loop("""
                        if (result.Message.Key is not null)
                        {
                            var keyed = {|#1:_producer.ProduceAsync("keyed", result.Message)|};
                        }

                        {|#0:_consumer.Commit(result)|};
            """), new[] { Expected(0, "Commit", Async, 1) });

    [Fact]
    public Task No_fix_inside_a_lock()
        => VerifyNoFixAsync(Rule, Loop("""
                        lock (_gate)
                        {
                            _ = {|#1:_producer.ProduceAsync("enriched", result.Message)|};
                            {|#0:_consumer.Commit(result)|};
                        }
            """, members: """
                private readonly object _gate = new();
            """), new[] { Expected(0, "Commit", Async, 1) });

    // ---- negatives: safe ------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_produce_async_is_awaited_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        await _producer.ProduceAsync("enriched", new Message<string, string> { Value = Enrich(result.Message.Value) }, ct);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_awaited_with_configure_await()
        => VerifyAsync(Rule, Loop("""
                        await _producer.ProduceAsync("enriched", result.Message, ct).ConfigureAwait(false);
                        _consumer.StoreOffset(result);
            """));

    [Fact]
    public Task Silent_when_the_stored_task_is_awaited_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        var delivery = _producer.ProduceAsync("enriched", result.Message, ct);
                        Console.WriteLine("sent");
                        var report = await delivery;
                        Console.WriteLine(report.Offset);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_both_outputs_are_awaited_with_when_all()
        => VerifyAsync(Rule, Loop("""
                        var first = _producer.ProduceAsync("a", result.Message);
                        var second = _producer.ProduceAsync("b", result.Message);
                        await Task.WhenAll(first, second);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_the_task_result_is_read_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        var delivery = _producer.ProduceAsync("enriched", result.Message);
                        Console.WriteLine(delivery.Result.Offset);
                        _consumer.Commit(result);
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_produce_is_flushed_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        _producer.Produce("enriched", result.Message, report => { if (report.Error.IsError) throw new KafkaException(report.Error); });
                        _producer.Flush(ct);
                        _consumer.Commit(result);
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_flushed_with_a_timeout_before_the_store()
        => VerifyAsync(Rule, Loop("""
                        _producer.Produce("enriched", result.Message);
                        if (_producer.Flush(TimeSpan.FromSeconds(5)) > 0) throw new TimeoutException("output not delivered");
                        _consumer.StoreOffset(result);
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_the_delivery_handler_stores_the_offset()
        => VerifyAsync(Rule, Loop("""
                        _producer.Produce("enriched", result.Message, report =>
                        {
                            if (!report.Error.IsError) _consumer.StoreOffset(result);
                        });
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_the_handler_completes_a_task_that_is_awaited_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        var delivered = new TaskCompletionSource<bool>();
                        _producer.Produce("enriched", result.Message, report => delivered.SetResult(!report.Error.IsError));
                        if (!await delivered.Task) continue;
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_for_a_transactional_producer()
        => VerifyAsync(Rule, """
            public sealed class ExactlyOnce
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public ExactlyOnce(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                    _producer.InitTransactions(TimeSpan.FromSeconds(30));
                }

                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        _producer.BeginTransaction();
                        _producer.Produce("out", result.Message);
                        _producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset(result.TopicPartition, result.Offset + 1) }, _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                        _producer.CommitTransaction();
                        _consumer.StoreOffset(result);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_produce_comes_after_the_commit()
        => VerifyAsync(Rule, Loop("""
                        _consumer.Commit(result);
                        await _producer.ProduceAsync("audit", result.Message, ct);
                        _ = _producer.ProduceAsync("metrics", new Message<string, string> { Value = "1" });
            """));

    [Fact]
    public Task Silent_when_the_produce_is_on_another_branch_than_the_commit()
        => VerifyAsync(Rule, Loop("""
                        if (result.Message.Value is null)
                        {
                            _producer.Produce("dead-letters", result.Message);
                            continue;
                        }

                        _consumer.Commit(result);
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_the_commit_is_of_another_loop_without_output()
        => VerifyAsync(Rule, """
            public sealed class Mirror
            {
                private readonly IProducer<string, string> _producer;

                public Mirror(IProducer<string, string> producer) => _producer = producer;

                public void Forward(IConsumer<string, string> source, CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = source.Consume(ct);
                        source.Commit(result);
                    }
                }

                public void Publish(string value) => _producer.Produce("out", new Message<string, string> { Value = value });
            }
            """);

    [Fact]
    public Task Silent_when_there_is_no_commit()
        => VerifyAsync(Rule, Loop("""
                        _ = _producer.ProduceAsync("enriched", result.Message);
            """));

    [Fact]
    public Task Silent_when_the_commit_is_in_a_continuation()
        => VerifyAsync(Rule, Loop("""
                        _ = _producer.ProduceAsync("enriched", result.Message).ContinueWith(t =>
                        {
                            if (!t.IsFaulted) _consumer.StoreOffset(result);
                        });
            """, modifiers: "void"));

    [Fact]
    public Task Silent_when_a_method_of_the_project_flushes_before_the_commit()
        => VerifyAsync(Rule, Loop("""
                        _producer.Produce("enriched", result.Message);
                        DrainOutputs();
                        _consumer.Commit(result);
            """, modifiers: "void", members: """
                private void DrainOutputs()
                {
                    if (_producer.Flush(TimeSpan.FromSeconds(10)) > 0) throw new TimeoutException("outputs still queued");
                }
            """));

    [Fact]
    public Task Flags_when_the_project_method_between_only_logs()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", result.Message)|};
                        Report(result.Message.Key);
                        {|#0:_consumer.Commit(result)|};
            """, modifiers: "void", members: """
                private static void Report(string key) => Console.WriteLine($"forwarded {key}");
            """), Expected(0, "Commit", Sync, 1));

    // ---- negatives: unknown ---------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_task_is_returned()
        => VerifyAsync(Rule, """
            public sealed class Handler
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IProducer<string, string> _producer;

                public Handler(IConsumer<string, string> consumer, IProducer<string, string> producer)
                {
                    _consumer = consumer;
                    _producer = producer;
                }

                public Task<DeliveryResult<string, string>> ForwardAsync(ConsumeResult<string, string> input)
                {
                    var task = _producer.ProduceAsync("out", input.Message);
                    _consumer.StoreOffset(input);
                    return task;
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_task_is_passed_to_a_tracker()
        => VerifyAsync(Rule, Loop("""
                        var task = _producer.ProduceAsync("enriched", result.Message);
                        Track(task);
                        _consumer.Commit(result);
            """, members: """
                private static void Track(Task task) { }
            """));

    [Fact]
    public Task Silent_when_tasks_are_collected_into_a_batch()
        => VerifyAsync(Rule, Loop("""
                        var pending = new List<Task>();
                        pending.Add(_producer.ProduceAsync("enriched", result.Message));
                        _consumer.Commit(result);
                        await Task.WhenAll(pending);
            """));

    [Fact]
    public Task Silent_when_the_task_is_stored_in_a_field()
        => VerifyAsync(Rule, Loop("""
                        _last = _producer.ProduceAsync("enriched", result.Message);
                        _consumer.Commit(result);
            """, members: """
                private Task? _last;
            """));

    [Fact]
    public Task Silent_when_the_handler_is_a_method_we_cannot_read_and_a_wait_follows()
        => VerifyAsync(Rule, Loop("""
                        _producer.Produce("enriched", result.Message, _sink.Delivered);
                        _gate.Wait(ct);
                        _consumer.Commit(result);
            """, modifiers: "void", members: """
                private readonly IDeliverySink _sink = null!;
                private readonly SemaphoreSlim _gate = new(0);

                public interface IDeliverySink
                {
                    void Delivered(DeliveryReport<string, string> report);
                }
            """));

    [Fact]
    public Task Flags_a_wait_after_a_handler_field_that_signals_nothing()
        => VerifyAsync(Rule, Loop("""
                        {|#1:_producer.Produce("enriched", result.Message, _onDelivery)|};
                        Thread.Sleep(10);
                        {|#0:_consumer.Commit(result)|};
            """, modifiers: "void", members: """
                private readonly Action<DeliveryReport<string, string>> _onDelivery = r => Console.WriteLine(r.Error.Reason);
            """), Expected(0, "Commit", Sync, 1));

    [Fact]
    public Task Silent_when_the_produce_goes_through_a_project_wrapper()
        => VerifyAsync(Rule, Loop("""
                        _ = PublishAsync(result.Message.Value);
                        _consumer.Commit(result);
            """, members: """
                private Task PublishAsync(string value) => _producer.ProduceAsync("enriched", new Message<string, string> { Value = value });
            """));

    [Fact]
    public Task Silent_when_the_produce_is_in_an_expression_tree()
        => VerifyAsync(Rule, Loop("""
                        System.Linq.Expressions.Expression<Func<Task>> setup = () => _producer.ProduceAsync("enriched", result.Message, default);
                        _consumer.Commit(result);
            """));

    [Fact]
    public Task Silent_when_transactions_run_on_a_producer_the_model_cannot_follow()
        => VerifyAsync(Rule, Loop("""
                        Producer().BeginTransaction();
                        Producer().Produce("enriched", result.Message);
                        Producer().CommitTransaction();
                        _consumer.Commit(result);
            """, modifiers: "void", members: """
                private IProducer<string, string> Producer() => _producer;
            """));
}
