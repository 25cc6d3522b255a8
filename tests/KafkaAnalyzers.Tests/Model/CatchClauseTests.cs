using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>Catch-body classification and "calls into the project" (RULES.md), as the consume-loop model reports them.</summary>
public class CatchClauseTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Logging;

        class Service
        {
            private readonly IConsumer<string, string> _consumer;
            private readonly IProducer<string, string> _producer;
            private readonly ILogger _logger;
            private int _failures;

            public Service(IConsumer<string, string> consumer, IProducer<string, string> producer, ILogger logger)
            {
                _consumer = consumer;
                _producer = producer;
                _logger = logger;
            }

            static void Process(ConsumeResult<string, string> r) { }

            void Run(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var result = _consumer.Consume(ct);
                    try
                    {
                        Process(result);
                    }
        """;

    private const string Postlude = """
                }
            }
        """;

    private static async Task<(ConsumeLoop Loop, CatchClause Clause)> Single(string catchAndMembers)
    {
        var analysis = await ModelHarness.AnalyzeAsync(Prelude + catchAndMembers.Replace("//MEMBERS", Postlude) + "\n}\n");
        var loop = Assert.Single(analysis.ConsumeLoops.Loops);
        return (loop, Assert.Single(loop.Catches));
    }

    [Fact]
    public async Task Log_only_catch_only_logs_and_the_loop_continues()
    {
        var (loop, clause) = await Single("""
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "failed {Offset}", result.Offset);
                        _failures++;
                    }
            //MEMBERS
            """);

        Assert.True(clause.CatchesProcessingFailures);
        Assert.True(clause.ProtectsProcessing);
        Assert.True(clause.OnlyLogs);
        Assert.True(loop.ContinuesAfter(clause));
    }

    [Fact]
    public async Task Rethrow_is_not_only_logging()
    {
        var (loop, clause) = await Single("""
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "failed");
                        throw;
                    }
            //MEMBERS
            """);

        Assert.True(clause.Body.Has(BodyEffects.Throws));
        Assert.False(clause.OnlyLogs);
        Assert.False(loop.ContinuesAfter(clause));
    }

    [Fact]
    public async Task Produce_to_another_topic_is_not_only_logging()
    {
        var (_, clause) = await Single("""
                    catch (Exception ex)
                    {
                        _producer.Produce("orders.dlq", result.Message, report => { });
                    }
            //MEMBERS
            """);

        Assert.True(clause.Body.Has(BodyEffects.Produces));
        Assert.False(clause.OnlyLogs);
    }

    [Fact]
    public async Task Project_method_named_dead_letter_that_only_logs_is_still_only_logging()
    {
        var (_, clause) = await Single("""
                    catch (Exception ex)
                    {
                        SendToDeadLetterAsync(result, ex).GetAwaiter().GetResult();
                    }
            //MEMBERS
                Task SendToDeadLetterAsync(ConsumeResult<string, string> r, Exception ex)
                {
                    _logger.LogWarning(ex, "dead letter {Offset}", r.Offset);
                    return Task.CompletedTask;
                }
            """);

        Assert.True(clause.OnlyLogs);
    }

    [Fact]
    public async Task Project_method_that_produces_three_levels_down_is_a_rescue()
    {
        var (_, clause) = await Single("""
                    catch (Exception ex)
                    {
                        Level1(result);
                    }
            //MEMBERS
                void Level1(ConsumeResult<string, string> r) => Level2(r);
                void Level2(ConsumeResult<string, string> r) => Level3(r);
                void Level3(ConsumeResult<string, string> r) => _producer.Produce("dlq", r.Message);
            """);

        Assert.True(clause.Body.Has(BodyEffects.Produces));
    }

    [Fact]
    public async Task Calls_deeper_than_the_limit_are_unknown_not_logging()
    {
        var (_, clause) = await Single("""
                    catch (Exception ex)
                    {
                        Level1(result);
                    }
            //MEMBERS
                void Level1(ConsumeResult<string, string> r) => Level2(r);
                void Level2(ConsumeResult<string, string> r) => Level3(r);
                void Level3(ConsumeResult<string, string> r) => Level4(r);
                void Level4(ConsumeResult<string, string> r) => _logger.LogError("x");
            """);

        Assert.True(clause.Body.Has(BodyEffects.Unknown));
        Assert.False(clause.OnlyLogs);
    }

    [Fact]
    public async Task Interface_call_is_unknown()
    {
        var (_, clause) = await Single("""
                    catch (Exception ex)
                    {
                        Sink.Save(result);
                    }
            //MEMBERS
                public IFailureStore Sink { get; set; } = null!;
            }

            public interface IFailureStore
            {
                void Save(ConsumeResult<string, string> r);
            """);

        Assert.True(clause.Body.Has(BodyEffects.Unknown));
    }

    [Fact]
    public async Task Seek_back_is_a_rescue()
    {
        var (_, clause) = await Single("""
                    catch (Exception)
                    {
                        _consumer.Seek(result.TopicPartitionOffset);
                    }
            //MEMBERS
            """);

        Assert.True(clause.Body.Has(BodyEffects.Seeks));
    }

    [Fact]
    public async Task Break_out_of_the_consume_loop_stops_it()
    {
        var (loop, clause) = await Single("""
                    catch (Exception ex)
                    {
                        _logger.LogCritical(ex, "stopping");
                        break;
                    }
            //MEMBERS
            """);

        Assert.True(clause.OnlyLogs);
        Assert.False(loop.ContinuesAfter(clause));
    }

    [Fact]
    public async Task Continue_keeps_consuming()
    {
        var (loop, clause) = await Single("""
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "skipping");
                        continue;
                    }
            //MEMBERS
            """);

        Assert.True(loop.ContinuesAfter(clause));
    }

    [Fact]
    public async Task Environment_FailFast_stops()
    {
        var (loop, clause) = await Single("""
                    catch (Exception ex)
                    {
                        Environment.FailFast("poison", ex);
                    }
            //MEMBERS
            """);

        Assert.True(clause.Body.Has(BodyEffects.Stops));
        Assert.False(loop.ContinuesAfter(clause));
    }

    [Fact]
    public async Task Consume_exception_with_IsFatal_filter_checks_fatal()
    {
        var (_, clause) = await Single("""
                    catch (ConsumeException ex) when (!ex.Error.IsFatal)
                    {
                        _logger.LogWarning(ex, "consume error");
                    }
            //MEMBERS
            """);

        Assert.True(clause.CatchesKafkaErrors);
        Assert.False(clause.CatchesProcessingFailures);
        Assert.True(clause.ChecksFatal);
    }

    [Fact]
    public async Task Operation_canceled_catch_is_cancellation_not_processing()
    {
        var (_, clause) = await Single("""
                    catch (OperationCanceledException)
                    {
                    }
            //MEMBERS
            """);

        Assert.False(clause.CatchesProcessingFailures);
        Assert.True(clause.CatchesCancellation);
    }
}
