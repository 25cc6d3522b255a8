using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>
/// The pieces KAFKA115 asks of the shared models, asked directly: where a produced message's delivery is
/// confirmed (<see cref="ProducerModel.ConfirmationOf"/>, with the type-wide flushes and transaction calls),
/// every await of a kept task (<see cref="TaskObservation.ObservationSites"/>) and which calls mark a consumed
/// input done (<see cref="ConsumeLoop.InputCommits"/>, <see cref="MessageHandler.InputCommits"/>).
/// </summary>
public class DeliveryConfirmationTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;

        """;

    private static string Service(string body, string members = "") => $$"""
        class Service
        {
            private readonly IConsumer<string, string> _consumer = null!;
            private readonly IProducer<string, string> _producer = null!;

            async Task Run(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var result = _consumer.Consume(ct);
        {{body}}
                }
            }
        {{members}}
        }
        """;

    private static async Task<(KafkaTypeAnalysis Analysis, DeliveryConfirmation Confirmation)> Confirm(string source)
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + source);
        var call = Assert.Single(analysis.Producers.ProduceCalls);
        return (analysis, analysis.Producers.ConfirmationOf(call, analysis.Index, analysis.Symbols.Flow, analysis.ProjectCalls));
    }

    [Theory]
    [InlineData("await _producer.ProduceAsync(\"t\", result.Message);")]
    [InlineData("await _producer.ProduceAsync(\"t\", result.Message).ConfigureAwait(false);")]
    [InlineData("await Task.WhenAll(_producer.ProduceAsync(\"t\", result.Message));")]
    [InlineData("_producer.ProduceAsync(\"t\", result.Message).GetAwaiter().GetResult();")]
    public async Task Awaited_where_it_is_called_is_confirmed_at_the_call(string statement)
        => Assert.Equal(ConfirmationKind.AtCall, (await Confirm(Service(statement))).Confirmation.Kind);

    [Fact]
    public async Task A_kept_task_is_confirmed_at_every_await_of_it()
    {
        var (_, confirmation) = await Confirm(Service("""
                    var task = _producer.ProduceAsync("t", result.Message);
                    if (result.Message.Key == "a") await task; else task.Wait();
                    Console.WriteLine(task.Result.Offset);
            """));

        Assert.Equal(ConfirmationKind.AtSites, confirmation.Kind);
        Assert.Equal(3, confirmation.Sites.Length);
        Assert.Contains(confirmation.Sites, s => s is IAwaitOperation);
        Assert.Contains(confirmation.Sites, s => s is IInvocationOperation { TargetMethod.Name: "Wait" });
        Assert.Contains(confirmation.Sites, s => s is IPropertyReferenceOperation { Property.Name: "Result" });
    }

    [Fact]
    public async Task A_discarded_task_is_confirmed_only_by_flushes_and_transaction_calls_of_any_receiver()
    {
        var (_, confirmation) = await Confirm(Service("""
                    _ = _producer.ProduceAsync("t", result.Message);
                    Other().Flush(ct);
                    await Task.Delay(1, ct);
            """, members: """
                IProducer<string, string> Other() => _producer;
            """));

        Assert.Equal(ConfirmationKind.AtSites, confirmation.Kind);
        var flush = Assert.Single(confirmation.Sites);
        Assert.Equal("Flush", ((IInvocationOperation)flush).TargetMethod.Name);
    }

    [Theory]
    [InlineData("var task = _producer.ProduceAsync(\"t\", result.Message); Track(task);")]
    [InlineData("_pending = _producer.ProduceAsync(\"t\", result.Message);")]
    [InlineData("var tasks = new List<Task>(); tasks.Add(_producer.ProduceAsync(\"t\", result.Message)); await Task.WhenAll(tasks);")]
    [InlineData("var task = _producer.ProduceAsync(\"t\", result.Message); await Task.Run(async () => await task);")]
    [InlineData("System.Linq.Expressions.Expression<Func<Task>> e = () => _producer.ProduceAsync(\"t\", result.Message, default);")]
    public async Task A_task_that_flows_out_of_view_is_unknown(string statement)
    {
        var (_, confirmation) = await Confirm(Service(statement, members: """
                private Task? _pending;
                static void Track(Task task) { }
            """));
        Assert.Equal(ConfirmationKind.Unknown, confirmation.Kind);
    }

    [Fact]
    public async Task Any_transaction_call_makes_a_producer_the_model_cannot_follow_transactional()
    {
        var (analysis, confirmation) = await Confirm(Service("""
                    Other().BeginTransaction();
                    Other().Produce("t", result.Message);
                    Other().CommitTransaction();
            """, members: """
                IProducer<string, string> Other() => _producer;
            """));

        Assert.Equal(ConfirmationKind.Transactional, confirmation.Kind);
        Assert.Equal(2, analysis.Producers.AllTransactionCalls.Length);
    }

    [Fact]
    public async Task A_handler_that_signals_makes_every_wait_of_the_function_a_confirmation()
    {
        var (_, confirmation) = await Confirm(Service("""
                    var done = new TaskCompletionSource<bool>();
                    _producer.Produce("t", result.Message, r => done.TrySetResult(!r.Error.IsError));
                    await done.Task;
                    _producer.Flush(ct);
            """));

        Assert.Equal(ConfirmationKind.AtSites, confirmation.Kind);
        Assert.Contains(confirmation.Sites, s => s is IAwaitOperation);
        Assert.Contains(confirmation.Sites, s => s is IInvocationOperation { TargetMethod.Name: "Flush" });
    }

    [Fact]
    public async Task A_project_method_that_flushes_is_a_confirmation()
    {
        var (_, confirmation) = await Confirm(Service("""
                    _producer.Produce("t", result.Message);
                    Drain(ct);
            """, members: """
                void Drain(CancellationToken ct) => DrainCore(ct);
                void DrainCore(CancellationToken ct) => _producer.Flush(ct);
                void Log() => Console.WriteLine("x");
            """));

        Assert.Equal(ConfirmationKind.AtSites, confirmation.Kind);
        Assert.Contains(confirmation.Sites, s => s is IInvocationOperation { TargetMethod.Name: "Drain" });
        Assert.DoesNotContain(confirmation.Sites, s => s is IInvocationOperation { TargetMethod.Name: "Log" });
    }

    [Fact]
    public async Task A_handler_that_only_logs_confirms_nothing_but_flushes()
    {
        var (_, confirmation) = await Confirm(Service("""
                    _producer.Produce("t", result.Message, r => Console.WriteLine(r.Error.Reason));
                    await Task.Delay(1, ct);
            """));

        Assert.Equal(ConfirmationKind.AtSites, confirmation.Kind);
        Assert.Empty(confirmation.Sites);
    }

    [Fact]
    public async Task Loop_input_commits_are_the_commits_and_stores_that_read_the_result()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + Service("""
                    var value = result.Message.Value;
                    _consumer.Commit(result);
                    _consumer.StoreOffset(new TopicPartitionOffset(result.TopicPartition, result.Offset + 1));
                    _consumer.Commit();
                    _consumer.Commit(new[] { new TopicPartitionOffset("other", 0, 1) });
                    _consumer.Seek(result.TopicPartitionOffset);
                    Action later = () => _consumer.StoreOffset(result);
            """));

        var loop = Assert.Single(analysis.ConsumeLoops.Loops);
        var commits = loop.InputCommits(Assert.Single(loop.Results), analysis.Consumers);
        Assert.Equal(new[] { "Commit", "StoreOffset", "Commit" }, commits.Select(c => c.Invocation.TargetMethod.Name));
        Assert.Equal(new[] { 1, 1, 0 }, commits.Select(c => c.Invocation.Arguments.Length));
    }

    [Fact]
    public async Task Handler_input_commits_read_the_consume_result_parameter()
    {
        var analysis = await ModelHarness.AnalyzeAsync(Usings + """
            class Service
            {
                private readonly IConsumer<string, string> _consumer = null!;

                void Handle(ConsumeResult<string, string> input, ConsumeResult<string, string> other)
                {
                    _consumer.StoreOffset(input);
                    _consumer.StoreOffset(other);
                    Action later = () => _consumer.Commit(input);
                }

                void Forward(Message<string, string> message) => _consumer.Commit();
            }
            """);

        var handler = Assert.Single(analysis.ConsumeLoops.Handlers, h => h.Function.Name == "Handle");
        var commit = Assert.Single(handler.InputCommits(analysis.Consumers));
        Assert.Equal("input", ((IParameterReferenceOperation)commit.Invocation.Arguments[0].Value.WalkDownConversions()).Parameter.Name);
    }
}
