using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>The consume-loop model: loops, poll methods, results and their uses, hand-offs, handlers.</summary>
public class ConsumeLoopModelTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        """;

    [Fact]
    public async Task BackgroundService_loop_on_the_cancellation_token_is_a_consume_loop()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service : BackgroundService
            {
                private readonly IConsumer<string, string> _consumer;

                public Service(IConsumer<string, string> consumer) => _consumer = consumer;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    await Task.Yield();
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = _consumer.Consume(stoppingToken);
                        await HandleAsync(result.Message.Value);
                        _consumer.Commit(result);
                    }
                }

                private Task HandleAsync(string value) => Task.CompletedTask;
            }
            """);

        var loop = Assert.Single(analysis.ConsumeLoops.Loops);
        Assert.Equal("ExecuteAsync", loop.EntryMethod?.Name);
        Assert.True(loop.RunsUntilStopped);
        Assert.Same(analysis.Consumers.Instances.Single(), loop.Instance);
        var result = Assert.Single(loop.Results);
        Assert.Equal("result", result.Variable?.Name);
        Assert.Contains(result.Uses, u => u.Kind == ResultUseKind.Processed);
        Assert.Contains(result.Uses, u => u.Kind == ResultUseKind.MarkedDone);
        Assert.DoesNotContain(result.Uses, u => u.Kind == ResultUseKind.HandedOff);
    }

    [Fact]
    public async Task Task_run_with_the_result_is_a_concurrent_hand_off()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        _ = Task.Run(() => Handle(result.Message.Value));
                    }
                }

                static void Handle(string value) { }
            }
            """);

        var use = Assert.Single(Assert.Single(analysis.ConsumeLoops.Loops).Results.Single().Uses);
        Assert.Equal(ResultUseKind.HandedOff, use.Kind);
        Assert.Equal(HandOffKind.Task, use.HandOff!.Kind);
        Assert.True(use.HandOff.RunsConcurrently);
    }

    [Fact]
    public async Task Awaited_task_run_is_processing_not_a_hand_off()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                async Task Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        await Task.Run(() => Handle(result.Message.Value));
                    }
                }

                static void Handle(string value) { }
            }
            """);

        var result = Assert.Single(Assert.Single(analysis.ConsumeLoops.Loops).Results);
        Assert.DoesNotContain(result.Uses, u => u.Kind == ResultUseKind.HandedOff);
    }

    [Fact]
    public async Task Derived_value_written_to_a_channel_is_handed_off()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly Channel<string> _channel = Channel.CreateUnbounded<string>();

                async Task Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var result = consumer.Consume(ct);
                        var value = result.Message.Value;
                        await _channel.Writer.WriteAsync(value, ct);
                    }
                }
            }
            """);

        var result = Assert.Single(Assert.Single(analysis.ConsumeLoops.Loops).Results);
        Assert.Contains(result.Derived, d => d.Name == "value");
        var handedOff = Assert.Single(result.Uses, u => u.Kind == ResultUseKind.HandedOff);
        Assert.Equal(HandOffKind.Channel, handedOff.HandOff!.Kind);
    }

    [Fact]
    public async Task Discarded_async_call_is_handed_off_and_awaited_one_is_not()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                async Task Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        _ = AuditAsync(result);
                        await ProcessAsync(result);
                    }
                }

                static Task AuditAsync(ConsumeResult<string, string> r) => Task.CompletedTask;
                static Task ProcessAsync(ConsumeResult<string, string> r) => Task.CompletedTask;
            }
            """);

        var uses = Assert.Single(Assert.Single(analysis.ConsumeLoops.Loops).Results).Uses;
        Assert.Equal(new[] { ResultUseKind.HandedOff, ResultUseKind.Processed }, uses.Select(u => u.Kind));
        Assert.Equal(HandOffKind.AsyncCall, uses[0].HandOff!.Kind);
    }

    [Fact]
    public async Task Tasks_collected_and_awaited_with_WhenAll_are_not_handed_off()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                async Task Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (true)
                    {
                        var tasks = new List<Task>();
                        for (var i = 0; i < 10; i++)
                        {
                            var result = consumer.Consume(ct);
                            tasks.Add(ProcessAsync(result));
                        }

                        await Task.WhenAll(tasks);
                    }
                }

                static Task ProcessAsync(ConsumeResult<string, string> r) => Task.CompletedTask;
            }
            """);

        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            Assert.All(loop.Results.SelectMany(r => r.Uses), u => Assert.NotEqual(ResultUseKind.HandedOff, u.Kind));
        }
    }

    [Fact]
    public async Task Poll_method_called_from_a_loop_makes_the_loop_a_consume_loop()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;
                private volatile bool _stop;

                public Service(IConsumer<string, string> consumer) => _consumer = consumer;

                void Run()
                {
                    while (!_stop)
                    {
                        PollOnce();
                    }
                }

                void PollOnce()
                {
                    try
                    {
                        var result = _consumer.Consume(100);
                        if (result is null) return;
                        Handle(result.Message.Value);
                    }
                    catch (ConsumeException) { }
                }

                static void Handle(string value) { }
            }
            """);

        var loop = Assert.Single(analysis.ConsumeLoops.Loops);
        Assert.Equal("Run", loop.EntryMethod?.Name);
        Assert.Equal("PollOnce", Assert.Single(loop.PollMethods).Name);
        Assert.Contains(loop.ConditionSymbols, s => s.Name == "_stop");
        Assert.False(loop.RunsUntilStopped);
        var catchClause = Assert.Single(loop.Catches);
        Assert.True(catchClause.CatchesKafkaErrors);
        Assert.True(loop.ContinuesAfter(catchClause));
    }

    [Fact]
    public async Task Loop_inside_a_task_run_lambda_is_found_with_its_entry_method()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                public Task Start(IConsumer<string, string> consumer, CancellationToken ct)
                    => Task.Run(() =>
                    {
                        while (!ct.IsCancellationRequested)
                        {
                            var result = consumer.Consume(ct);
                        }
                    });
            }
            """);

        var loop = Assert.Single(analysis.ConsumeLoops.Loops);
        Assert.Equal("Start", loop.EntryMethod?.Name);
        Assert.NotNull(loop.EnclosingFunction);
    }

    [Fact]
    public async Task Nested_restart_loop_is_the_outer_loop_of_the_consume_loop()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run(ConsumerConfig config, CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        using var consumer = new ConsumerBuilder<string, string>(config).Build();
                        consumer.Subscribe("t");
                        while (true)
                        {
                            var result = consumer.Consume(ct);
                        }
                    }
                }
            }
            """);

        Assert.Equal(2, analysis.ConsumeLoops.Loops.Length);
        var inner = analysis.ConsumeLoops.Loops.Single(l => l.Outer is not null);
        Assert.Single(inner.Results);
        Assert.Empty(inner.Outer!.Results);
    }

    [Fact]
    public async Task Methods_with_a_ConsumeResult_parameter_are_handlers_and_Message_ones_only_when_a_loop_calls_them()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                void Run(IConsumer<string, string> consumer, CancellationToken ct)
                {
                    while (true)
                    {
                        var result = consumer.Consume(ct);
                        Handle(result);
                        Apply(result.Message);
                    }
                }

                void Handle(ConsumeResult<string, string> result) { }

                void Apply(Message<string, string> message) { }

                void NotCalled(Message<string, string> message) { }
            }
            """);

        var handlers = analysis.ConsumeLoops.Handlers;
        Assert.Equal(new[] { "Handle", "Apply" }, handlers.Select(h => h.Function.Name));
        Assert.All(handlers, h => Assert.True(h.CalledFromLoop));
    }

    [Fact]
    public async Task Lambda_handler_with_a_ConsumeResult_parameter_is_a_handler()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly IConsumer<string, string> _consumer;
                public Service(IConsumer<string, string> consumer) => _consumer = consumer;

                void Register(Action<Func<ConsumeResult<string, string>, Task>> register)
                    => register(async result =>
                    {
                        try { await Task.Delay(result.Message.Value.Length); }
                        catch (Exception) { }
                    });
            }
            """);

        var handler = Assert.Single(analysis.ConsumeLoops.Handlers);
        Assert.Single(handler.Catches);
    }
}
