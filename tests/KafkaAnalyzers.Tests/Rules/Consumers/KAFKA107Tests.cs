using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA107: a catch of ConsumeException/KafkaException in a consume loop that goes on without checking IsFatal.</summary>
public class KAFKA107Tests
{
    private const string Rule = "KAFKA107";

    private static DiagnosticResult Expected(int marker, string type = "ConsumeException")
        => Diagnostic(Descriptors.KAFKA107_FatalConsumeErrorSwallowed).WithLocation(marker).WithArguments(type);

    private static string Loop(string body) => $$"""
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
                while (!ct.IsCancellationRequested)
                {
        {{body}}
                }
            }

            private static void Apply(string value) { }
        }
        """;

    [Fact]
    public Task Flags_consume_exception_logged_and_loop_continues()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (ConsumeException e)|}
                        {
                            _logger.LogError(e, "Consume error: {Reason}", e.Error.Reason);
                        }
            """), Expected(0));

    [Fact]
    public Task Flags_kafka_exception_with_continue()
        => VerifyAsync(Rule, Loop("""
                        ConsumeResult<string, string> result;
                        try
                        {
                            result = _consumer.Consume(ct);
                        }
                        {|#0:catch (KafkaException e)|}
                        {
                            Console.WriteLine(e.Message);
                            continue;
                        }

                        Apply(result.Message.Value);
            """), Expected(0, "KafkaException"));

    [Fact]
    public Task Flags_catch_without_a_variable()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (ConsumeException)|}
                        {
                        }
            """), Expected(0));

    [Fact]
    public Task Fix_inserts_the_fatal_check_at_the_top_of_the_catch()
        => VerifyFixAsync(Rule, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (ConsumeException e)|}
                        {
                            // the broker hiccups now and then
                            _logger.LogError(e, "Consume error");
                        }
            """), new[] { Expected(0) }, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        catch (ConsumeException e)
                        {
                            if (e.Error.IsFatal) throw;
                            // the broker hiccups now and then
                            _logger.LogError(e, "Consume error");
                        }
            """));

    [Fact]
    public Task Fix_names_the_exception_when_the_catch_has_no_variable()
        => VerifyFixAsync(Rule, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        {|#0:catch (ConsumeException)|}
                        {
                            continue;
                        }
            """), new[] { Expected(0) }, Loop("""
                        try
                        {
                            var result = _consumer.Consume(ct);
                            Apply(result.Message.Value);
                        }
                        catch (ConsumeException ex)
                        {
                            if (ex.Error.IsFatal) throw;
                            continue;
                        }
            """));

    [Fact]
    public Task Fix_All_fixes_every_catch_of_the_document()
        => VerifyFixAsync(Rule, Loop("""
                        ConsumeResult<string, string> result;
                        try
                        {
                            result = _consumer.Consume(ct);
                        }
                        {|#0:catch (ConsumeException e)|}
                        {
                            _logger.LogWarning(e, "first");
                            continue;
                        }

                        try
                        {
                            _consumer.Consume(TimeSpan.Zero);
                        }
                        {|#1:catch (KafkaException e)|}
                        {
                            _logger.LogWarning(e, "second");
                        }

                        Apply(result.Message.Value);
            """), new[] { Expected(0), Expected(1, "KafkaException") }, Loop("""
                        ConsumeResult<string, string> result;
                        try
                        {
                            result = _consumer.Consume(ct);
                        }
                        catch (ConsumeException e)
                        {
                            if (e.Error.IsFatal) throw;
                            _logger.LogWarning(e, "first");
                            continue;
                        }

                        try
                        {
                            _consumer.Consume(TimeSpan.Zero);
                        }
                        catch (KafkaException e)
                        {
                            if (e.Error.IsFatal) throw;
                            _logger.LogWarning(e, "second");
                        }

                        Apply(result.Message.Value);
            """));

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_when_the_filter_checks_IsFatal()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(_consumer.Consume(ct).Message.Value);
                        }
                        catch (ConsumeException e) when (!e.Error.IsFatal)
                        {
                            _logger.LogWarning(e, "Consume error");
                        }
            """));

    [Fact]
    public Task Silent_when_the_body_breaks_on_fatal_errors_like_the_official_web_example()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(_consumer.Consume(ct).Message.Value);
                        }
                        catch (ConsumeException e)
                        {
                            _logger.LogError(e, "Consume error: {Reason}", e.Error.Reason);
                            if (e.Error.IsFatal)
                            {
                                break;
                            }
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_rethrows()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(_consumer.Consume(ct).Message.Value);
                        }
                        catch (ConsumeException e)
                        {
                            _logger.LogError(e, "Consume error");
                            throw;
                        }
            """));

    [Fact]
    public Task Silent_when_the_catch_leaves_the_loop()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(_consumer.Consume(ct).Message.Value);
                        }
                        catch (ConsumeException e)
                        {
                            _logger.LogError(e, "Consume error");
                            return;
                        }
            """));

    [Fact]
    public Task Silent_for_the_official_store_offset_catch_without_consume_in_the_try()
        => VerifyAsync(Rule, Loop("""
                        var result = _consumer.Consume(ct);
                        Apply(result.Message.Value);
                        try
                        {
                            _consumer.StoreOffset(result);
                        }
                        catch (KafkaException e)
                        {
                            Console.WriteLine($"Store Offset error: {e.Error.Reason}");
                        }
            """));

    [Fact]
    public Task Silent_when_the_exception_goes_to_an_error_handler_the_analyzer_cannot_see()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;
                private readonly Action<ConsumeException> _onError;

                public Worker(IConsumer<string, string> consumer, Action<ConsumeException> onError)
                {
                    _consumer = consumer;
                    _onError = onError;
                }

                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        try
                        {
                            _consumer.Consume(ct);
                        }
                        catch (ConsumeException e)
                        {
                            _onError(e);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_a_project_helper_checks_IsFatal()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        try
                        {
                            _consumer.Consume(ct);
                        }
                        catch (ConsumeException e)
                        {
                            Handle(e);
                        }
                    }
                }

                private static void Handle(ConsumeException e)
                {
                    if (e.Error.IsFatal)
                    {
                        throw e;
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_catch_is_around_the_whole_loop()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    try
                    {
                        while (true)
                        {
                            _consumer.Consume(ct);
                        }
                    }
                    catch (ConsumeException e)
                    {
                        Console.WriteLine(e.Error.Reason);
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_a_catch_of_Exception_which_KAFKA103_judges()
        => VerifyAsync(Rule, Loop("""
                        try
                        {
                            Apply(_consumer.Consume(ct).Message.Value);
                        }
                        catch (Exception e)
                        {
                            _logger.LogError(e, "Failed");
                        }
            """));

    [Fact]
    public Task Silent_outside_consume_loops()
        => VerifyAsync(Rule, """
            public sealed class OneShot
            {
                public static string? ReadOne(IConsumer<string, string> consumer)
                {
                    try
                    {
                        return consumer.Consume(TimeSpan.FromSeconds(5))?.Message.Value;
                    }
                    catch (ConsumeException e)
                    {
                        Console.WriteLine(e.Error.Reason);
                        return null;
                    }
                }
            }
            """);

    /// <summary>Azure Functions KafkaListener: a batch window loop that logs ConsumeException and goes on.</summary>
    [Fact]
    public Task Flags_a_batch_window_loop_that_logs_consume_errors()
        => VerifyAsync(Rule, """
            public sealed class Listener
            {
                private readonly ILogger _logger;

                public Listener(ILogger logger) => _logger = logger;

                public void ProcessSubscription(IConsumer<string, string> localConsumer, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var batchStart = DateTime.UtcNow;
                        var availableTime = TimeSpan.FromSeconds(1);
                        while (availableTime > TimeSpan.Zero)
                        {
                            try
                            {
                                var consumeResult = localConsumer.Consume(availableTime);
                                if (consumeResult == null)
                                {
                                    break;
                                }

                                availableTime = TimeSpan.FromSeconds(1) - (DateTime.UtcNow - batchStart);
                            }
                            {|#0:catch (ConsumeException ex)|}
                            {
                                _logger.LogError(ex, "Consume error");
                            }
                        }
                    }
                }
            }
            """, Expected(0));
}
