using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA103: a catch around message processing that only logs, and consumption goes on.</summary>
public class KAFKA103Tests
{
    private const string Rule = "KAFKA103";

    private static DiagnosticResult Expected(int marker) => Diagnostic(Descriptors.KAFKA103_CatchAndLogWithoutDeadLetter).WithLocation(marker);

    /// <summary>A BackgroundService whose loop body is <paramref name="body"/>, with a logger, a producer and helpers.</summary>
    private static string Worker(string body, string members = "") => $$"""
        public sealed class OrdersWorker : BackgroundService
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly IProducer<string, string> _producer;
            private readonly ILogger<OrdersWorker> _logger;

            public OrdersWorker(IConsumer<string, string> consumer, IProducer<string, string> producer, ILogger<OrdersWorker> logger)
            {
                _consumer = consumer;
                _producer = producer;
                _logger = logger;
            }

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                await Task.Yield();
                while (!stoppingToken.IsCancellationRequested)
                {
        {{body}}
                }
            }

            private Task ProcessAsync(ConsumeResult<string, string> result, CancellationToken ct) => Task.Delay(1, ct);

            private void Process(string value) { }
        {{members}}
        }
        """;

    // ---- positives ------------------------------------------------------------------------------

    [Fact]
    public Task Flags_log_and_continue_around_processing()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        {|#0:catch (Exception ex)|}
                        {
                            _logger.LogError(ex, "Failed to process {Offset}", result.TopicPartitionOffset);
                        }
            """), Expected(0));

    [Fact]
    public Task Flags_empty_catch()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Process(result.Message.Value);
                        }
                        {|#0:catch|}
                        {
                        }
            """), Expected(0));

    [Fact]
    public Task Flags_catch_that_counts_and_continues()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Process(result.Message.Value);
                        }
                        {|#0:catch (FormatException ex)|}
                        {
                            _failures++;
                            Console.WriteLine(ex.Message);
                            continue;
                        }
            """, "private int _failures;"), Expected(0));

    [Fact]
    public Task Flags_project_method_named_dead_letter_that_only_logs()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Process(result.Message.Value);
                        }
                        {|#0:catch (Exception ex)|}
                        {
                            await SendToDeadLetterAsync(result, ex);
                        }
            """, """
            private Task SendToDeadLetterAsync(ConsumeResult<string, string> result, Exception ex)
            {
                _logger.LogWarning(ex, "Dead-lettering {Offset}", result.Offset);
                return Task.CompletedTask;
            }
            """), Expected(0));

    [Fact]
    public Task Flags_bounded_retries_that_end_in_log_and_continue()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        for (var attempt = 1; attempt <= 3; attempt++)
                        {
                            try
                            {
                                await ProcessAsync(result, stoppingToken);
                                break;
                            }
                            {|#0:catch (Exception ex)|}
                            {
                                _logger.LogWarning(ex, "Attempt {Attempt} failed", attempt);
                                await Task.Delay(100 * attempt, stoppingToken);
                            }
                        }
            """), Expected(0));

    [Fact]
    public Task Flags_catch_in_the_task_run_that_processes_the_message()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        _ = Task.Run(async () =>
                        {
                            try
                            {
                                await ProcessAsync(result, CancellationToken.None);
                            }
                            {|#0:catch (Exception ex)|}
                            {
                                _logger.LogError(ex, "Could not process {Key}", result.Message.Key);
                            }
                        });
            """), Expected(0));

    [Fact]
    public Task Flags_catch_in_a_handler_method_with_a_ConsumeResult_parameter()
        => VerifyAsync(Rule, """
            public sealed class PaymentHandler
            {
                private readonly ILogger<PaymentHandler> _logger;

                public PaymentHandler(ILogger<PaymentHandler> logger) => _logger = logger;

                public async Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
                {
                    try
                    {
                        await ChargeAsync(message.Message.Value, cancellationToken);
                    }
                    {|#0:catch (Exception ex)|}
                    {
                        _logger.LogError(ex, "Charge failed for {Key}", message.Message.Key);
                    }
                }

                private static Task ChargeAsync(string order, CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
            }
            """, Expected(0));

    [Fact]
    public Task Flags_catch_in_a_poll_method_whose_return_does_not_stop_the_loop()
        => VerifyAsync(Rule, """
            public sealed class Poller
            {
                private readonly IConsumer<string, string> _consumer;
                private volatile bool _stopped;

                public Poller(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run()
                {
                    while (!_stopped)
                    {
                        PollOnce();
                    }
                }

                private void PollOnce()
                {
                    var result = _consumer.Consume(TimeSpan.FromSeconds(1));
                    if (result is null)
                    {
                        return;
                    }

                    try
                    {
                        Apply(result.Message.Value);
                    }
                    {|#0:catch (InvalidOperationException ex)|}
                    {
                        Console.Error.WriteLine(ex);
                        return;
                    }
                }

                private static void Apply(string value) { }
            }
            """, Expected(0));

    [Fact]
    public Task Flags_generic_wrapper_with_a_handler_delegate()
        => VerifyAsync(Rule, """
            public sealed class KafkaConsumer<T>
            {
                private readonly IConsumer<string, T> _consumer;
                private readonly Func<T, Task> _handler;
                private readonly ILogger _logger;

                public KafkaConsumer(IConsumer<string, T> consumer, Func<T, Task> handler, ILogger logger)
                {
                    _consumer = consumer;
                    _handler = handler;
                    _logger = logger;
                }

                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        try
                        {
                            await _handler(result.Message.Value);
                        }
                        {|#0:catch (Exception e)|}
                        {
                            _logger.LogError(e, "Handler failed");
                        }
                    }
                }
            }
            """, Expected(0));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_catch_rethrows()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogError(ex, "Failed");
                            throw;
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_produces_to_a_dead_letter_topic()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogError(ex, "Failed");
                            await _producer.ProduceAsync("orders.dlq", result.Message, stoppingToken);
                        }
            """));

    [Fact]
    public Task Silent_when_a_project_method_produces_to_the_dead_letter_topic()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            await SendToDeadLetterAsync(result, ex);
                        }
            """, """
            private async Task SendToDeadLetterAsync(ConsumeResult<string, string> result, Exception ex)
            {
                _logger.LogWarning(ex, "Dead-lettering {Offset}", result.Offset);
                await _producer.ProduceAsync(result.Topic + ".dlq", result.Message);
            }
            """));

    [Fact]
    public Task Silent_when_the_dead_letter_helper_lives_in_another_type()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            await DeadLetters.PublishAsync(_producer, result, ex);
                        }
            """) + """

            public static class DeadLetters
            {
                public static Task PublishAsync(IProducer<string, string> producer, ConsumeResult<string, string> result, Exception ex)
                    => producer.ProduceAsync(result.Topic + ".dlq", result.Message);
            }
            """);

    [Fact]
    public Task Silent_when_the_catch_seeks_back_to_the_failed_message()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogWarning(ex, "Retrying {Offset}", result.Offset);
                            _consumer.Seek(result.TopicPartitionOffset);
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_breaks_out_of_the_consume_loop()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogCritical(ex, "Stopping");
                            break;
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_returns_from_the_loop_method()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogCritical(ex, "Stopping");
                            return;
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_stops_the_application()
        => VerifyAsync(Rule, """
            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IHostApplicationLifetime _lifetime;

                public Worker(IConsumer<string, string> consumer, IHostApplicationLifetime lifetime)
                {
                    _consumer = consumer;
                    _lifetime = lifetime;
                }

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception)
                        {
                            _lifetime.StopApplication();
                        }
                    }
                }

                private static void Apply(string value) { }
            }
            """);

    [Fact]
    public Task Silent_when_the_catch_sets_the_flag_the_loop_condition_reads()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;
                private bool _running = true;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run()
                {
                    while (_running)
                    {
                        var result = _consumer.Consume(TimeSpan.FromSeconds(1));
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception ex)
                        {
                            Console.Error.WriteLine(ex);
                            _running = false;
                        }
                    }
                }

                private static void Apply(string value) { }
            }
            """);

    [Fact]
    public Task Silent_when_retrying_forever()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        while (true)
                        {
                            try
                            {
                                await ProcessAsync(result, stoppingToken);
                                break;
                            }
                            catch (Exception ex)
                            {
                                _logger.LogWarning(ex, "Retrying");
                                await Task.Delay(1000, stoppingToken);
                            }
                        }
            """));

    [Fact]
    public Task Silent_when_bounded_retries_end_in_a_dead_letter()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        var done = false;
                        for (var attempt = 1; attempt <= 3 && !done; attempt++)
                        {
                            try
                            {
                                await ProcessAsync(result, stoppingToken);
                                done = true;
                            }
                            catch (Exception ex)
                            {
                                _logger.LogWarning(ex, "Attempt {Attempt} failed", attempt);
                            }
                        }

                        if (!done)
                        {
                            await _producer.ProduceAsync("orders.dlq", result.Message, stoppingToken);
                        }
            """));

    [Fact]
    public Task Silent_when_the_failure_flag_leads_to_a_rethrow_after_the_try()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        Exception? failure = null;
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            failure = ex;
                        }

                        if (failure is not null)
                        {
                            throw new InvalidOperationException("processing failed", failure);
                        }
            """));

    [Fact]
    public Task Silent_for_operation_canceled_and_consume_exception_catches()
        => VerifyAsync(Rule, Worker("""
                        try
                        {
                            var result = _consumer.Consume(stoppingToken);
                            Process(result.Message.Value);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                        catch (ConsumeException ex) when (!ex.Error.IsFatal)
                        {
                            _logger.LogWarning(ex, "Consume error");
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_calls_an_interface_the_analyzer_cannot_see_into()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            await FailedMessages.SaveAsync(result, ex);
                        }
            """, "public IFailedMessageStore FailedMessages { get; set; } = null!;") + """

            public interface IFailedMessageStore
            {
                Task SaveAsync(ConsumeResult<string, string> result, Exception ex);
            }
            """);

    [Fact]
    public Task Silent_when_the_catch_calls_an_error_callback_delegate()
        => VerifyAsync(Rule, """
            public sealed class KafkaConsumer<T>
            {
                private readonly IConsumer<string, T> _consumer;
                private readonly Func<T, Task> _handler;
                private readonly Action<Exception, ConsumeResult<string, T>> _onError;

                public KafkaConsumer(IConsumer<string, T> consumer, Func<T, Task> handler, Action<Exception, ConsumeResult<string, T>> onError)
                {
                    _consumer = consumer;
                    _handler = handler;
                    _onError = onError;
                }

                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(ct);
                        try
                        {
                            await _handler(result.Message.Value);
                        }
                        catch (Exception e)
                        {
                            _onError(e, result);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_try_only_consumes_and_logs()
        => VerifyAsync(Rule, Worker("""
                        ConsumeResult<string, string>? result;
                        try
                        {
                            result = _consumer.Consume(stoppingToken);
                            _logger.LogDebug("Consumed {Offset}", result?.Offset);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogError(ex, "Consume failed");
                            continue;
                        }

                        if (result is not null)
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_is_outside_the_loop()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly ILogger<Worker> _logger;

                public Worker(IConsumer<string, string> consumer, ILogger<Worker> logger)
                {
                    _consumer = consumer;
                    _logger = logger;
                }

                public void Run(CancellationToken ct)
                {
                    try
                    {
                        while (true)
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                    }
                    catch (Exception ex)
                    {
                        _logger.LogCritical(ex, "Consumer stopped");
                    }
                }

                private static void Apply(string value) { }
            }
            """);

    [Fact]
    public Task Silent_for_a_method_listed_in_dead_letter_methods()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            Quarantine.Put(result.Message.Value, ex);
                        }
            """) + """

            namespace Messaging
            {
            }

            public static class Quarantine
            {
                public static void Put(string value, Exception ex) => Console.WriteLine(value);
            }
            """, "kafka_analyzers.dead_letter_methods = Quarantine.Put", withReliability: false);

    [Fact]
    public Task Silent_when_the_library_dead_letter_sink_is_awaited()
        => VerifyAsync(Rule, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public sealed class Worker : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly IDeadLetterSink _deadLetters;

                public Worker(IConsumer<string, string> consumer, IDeadLetterSink deadLetters)
                {
                    _consumer = consumer;
                    _deadLetters = deadLetters;
                }

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception ex)
                        {
                            await _deadLetters.PublishAsync(result, ex, cancellationToken: stoppingToken);
                        }

                        _consumer.StoreOffset(result);
                    }
                }

                private static void Apply(string value) { }
            }
            """, editorConfig: null, withReliability: true);

    [Fact]
    public Task Silent_for_a_handler_whose_catch_rethrows_a_wrapped_exception()
        => VerifyAsync(Rule, """
            public sealed class PaymentHandler
            {
                public async Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
                {
                    try
                    {
                        await Task.Delay(message.Message.Value.Length, cancellationToken);
                    }
                    catch (TimeoutException ex)
                    {
                        throw new InvalidOperationException("charge timed out", ex);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_catch_around_logging_only()
        => VerifyAsync(Rule, """
            public sealed class Auditor
            {
                private readonly ILogger<Auditor> _logger;

                public Auditor(ILogger<Auditor> logger) => _logger = logger;

                public void Record(ConsumeResult<string, string> message)
                {
                    try
                    {
                        _logger.LogInformation("Consumed {Key} at {Offset}", message.Message.Key, message.Offset);
                    }
                    catch (Exception)
                    {
                    }
                }
            }
            """);

    // ---- fixes ----------------------------------------------------------------------------------

    private static string SinkWorker(string body) => $$"""
        using KafkaAnalyzers.Reliability.DeadLetters;

        public sealed class OrdersWorker : BackgroundService
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly IDeadLetterSink _deadLetters;
            private readonly ILogger<OrdersWorker> _logger;

            public OrdersWorker(IConsumer<string, string> consumer, IDeadLetterSink deadLetters, ILogger<OrdersWorker> logger)
            {
                _consumer = consumer;
                _deadLetters = deadLetters;
                _logger = logger;
            }

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                await Task.Yield();
                while (!stoppingToken.IsCancellationRequested)
                {
                    var result = _consumer.Consume(stoppingToken);
        {{body}}
                    _consumer.StoreOffset(result);
                }
            }

            private static void Apply(string value) { }
        }
        """;

    [Fact]
    public Task Fix_rethrows_at_the_end_of_the_catch()
        => VerifyFixAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        {|#0:catch (Exception ex)|}
                        {
                            // keep going, the next one may work
                            _logger.LogError(ex, "Failed");
                        }
            """), new[] { Expected(0) }, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch (Exception ex)
                        {
                            // keep going, the next one may work
                            _logger.LogError(ex, "Failed");
                            throw;
                        }
            """), action: "Rethrow");

    [Fact]
    public Task Fix_rethrow_replaces_a_trailing_continue_and_Fix_All_fixes_both_catches()
        => VerifyFixAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Process(result.Message.Value);
                        }
                        {|#0:catch (FormatException)|}
                        {
                            continue; // bad payload
                        }

                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        {|#1:catch|}
                        {
                        }
            """), new[] { Expected(0), Expected(1) }, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            Process(result.Message.Value);
                        }
                        catch (FormatException)
                        {
                            throw; // bad payload
                        }

                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        catch
                        {
                            throw;
                        }
            """), action: "Rethrow");

    [Fact]
    public Task Fix_publishes_to_the_dead_letter_sink_field_and_awaits_it()
        => VerifyFixAsync(Rule, SinkWorker("""
                    try
                    {
                        Apply(result.Message.Value);
                    }
                    {|#0:catch (Exception ex)|}
                    {
                        _logger.LogError(ex, "Failed to apply {Offset}", result.Offset);
                    }
            """), new[] { Expected(0) }, SinkWorker("""
                    try
                    {
                        Apply(result.Message.Value);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Failed to apply {Offset}", result.Offset);
                        await _deadLetters.PublishAsync(result, ex);
                    }
            """), action: "DeadLetter", withReliability: true);

    [Fact]
    public Task Fix_names_the_exception_and_publishes_before_a_trailing_continue()
        => VerifyFixAsync(Rule, SinkWorker("""
                    try
                    {
                        Apply(result.Message.Value);
                    }
                    {|#0:catch (FormatException)|}
                    {
                        _logger.LogWarning("Bad payload at {Offset}", result.Offset);
                        continue;
                    }
            """), new[] { Expected(0) }, SinkWorker("""
                    try
                    {
                        Apply(result.Message.Value);
                    }
                    catch (FormatException ex)
                    {
                        _logger.LogWarning("Bad payload at {Offset}", result.Offset);
                        await _deadLetters.PublishAsync(result, ex);
                        continue;
                    }
            """), action: "DeadLetter", withReliability: true);

    [Fact]
    public Task Fix_waits_for_the_publish_in_a_synchronous_loop_with_a_sink_parameter()
        => VerifyFixAsync(Rule, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public static class Loop
            {
                public static void Run(IConsumer<string, string> consumer, IDeadLetterSink sink, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (Exception e)|}
                        {
                            Console.WriteLine(e);
                        }
                    }
                }

                private static void Apply(string value) { }
            }
            """, new[] { Expected(0) }, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public static class Loop
            {
                public static void Run(IConsumer<string, string> consumer, IDeadLetterSink sink, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        try
                        {
                            Apply(result.Message.Value);
                        }
                        catch (Exception e)
                        {
                            Console.WriteLine(e);
                            sink.PublishAsync(result, e).GetAwaiter().GetResult();
                        }
                    }
                }

                private static void Apply(string value) { }
            }
            """, action: "DeadLetter", withReliability: true);

    [Fact]
    public Task Fix_publishes_the_handler_parameter()
        => VerifyFixAsync(Rule, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public sealed class PaymentHandler(IDeadLetterSink deadLetters)
            {
                public async Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
                {
                    try
                    {
                        await Task.Delay(message.Message.Value.Length, cancellationToken);
                    }
                    {|#0:catch (Exception ex)|}
                    {
                    }
                }
            }
            """, new[] { Expected(0) }, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public sealed class PaymentHandler(IDeadLetterSink deadLetters)
            {
                public async Task HandleAsync(ConsumeResult<string, string> message, CancellationToken cancellationToken)
                {
                    try
                    {
                        await Task.Delay(message.Message.Value.Length, cancellationToken);
                    }
                    catch (Exception ex)
                    {
                        await deadLetters.PublishAsync(message, ex);
                    }
                }
            }
            """, action: "DeadLetter", withReliability: true);

    [Fact]
    public Task No_dead_letter_fix_without_a_sink_in_scope()
        => VerifyNoFixAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        try
                        {
                            await ProcessAsync(result, stoppingToken);
                        }
                        {|#0:catch (Exception ex)|}
                        {
                            _logger.LogError(ex, "Failed");
                        }
            """), new[] { Expected(0) }, action: "DeadLetter", withReliability: true);

    [Fact]
    public Task No_dead_letter_fix_when_the_result_is_declared_inside_the_try()
        => VerifyNoFixAsync(Rule, """
            using KafkaAnalyzers.Reliability.DeadLetters;

            public static class Loop
            {
                public static void Run(IConsumer<string, string> consumer, IDeadLetterSink sink, CancellationToken ct)
                {
                    while (true)
                    {
                        try
                        {
                            var result = consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (Exception e)|}
                        {
                            Console.WriteLine(e);
                        }
                    }
                }

                private static void Apply(string value) { }
            }
            """, new[] { Expected(0) }, action: "DeadLetter", withReliability: true);

    // ---- regressions from real code -------------------------------------------------------------

    /// <summary>KafkaFlow Consumer.ConsumeAsync: a loop that retries Consume after errors and returns the result; no message is processed in it.</summary>
    [Fact]
    public Task Silent_for_a_consume_helper_that_retries_errors_and_returns_the_result()
        => VerifyAsync(Rule, """
            public sealed class ConsumerHolder
            {
                private readonly IConsumer<byte[], byte[]> _consumer;
                private readonly ILogger _logger;

                public ConsumerHolder(IConsumer<byte[], byte[]> consumer, ILogger logger)
                {
                    _consumer = consumer;
                    _logger = logger;
                }

                public async ValueTask<ConsumeResult<byte[], byte[]>> ConsumeAsync(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        try
                        {
                            EnsureConsumer();
                            await Task.Yield();
                            return _consumer.Consume(cancellationToken);
                        }
                        catch (OperationCanceledException)
                        {
                            throw;
                        }
                        catch (KafkaException ex) when (ex.Error.IsFatal)
                        {
                            await Task.Delay(5000, cancellationToken);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogError(ex, "Kafka Consumer Error");
                        }
                    }
                }

                private void EnsureConsumer() { }
            }
            """);

    /// <summary>EPAM CartingService MessagingService: <c>while (!messageHandled)</c> retries the same message until the handler succeeds.</summary>
    [Fact]
    public Task Silent_when_retrying_until_a_success_flag_is_set()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        var handled = false;
                        while (!handled)
                        {
                            try
                            {
                                await ProcessAsync(result, stoppingToken);
                                _consumer.Commit();
                                handled = true;
                            }
                            catch (Exception ex)
                            {
                                _logger.LogError(ex.ToString());
                                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
                            }
                        }
            """));

    [Fact]
    public Task Flags_a_success_flag_retry_that_gives_up_in_the_catch()
        => VerifyAsync(Rule, Worker("""
                        var result = _consumer.Consume(stoppingToken);
                        var handled = false;
                        var attempts = 0;
                        while (!handled)
                        {
                            try
                            {
                                await ProcessAsync(result, stoppingToken);
                                handled = true;
                            }
                            {|#0:catch (Exception ex)|}
                            {
                                _logger.LogError(ex, "Attempt {Attempt}", attempts);
                                handled = ++attempts >= 3;
                            }
                        }
            """), Expected(0));
}
