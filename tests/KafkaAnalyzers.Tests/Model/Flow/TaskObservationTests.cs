using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model.Flow;

/// <summary>What happens to the task of each ProduceAsync call in a method, asked of TaskObservation directly.</summary>
public class TaskObservationTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Linq.Expressions;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;

        interface IMock<T> { void Setup(Expression<Func<T, Task>> call); }

        """;

    private static TaskUse Classify(string service, string method = "Run")
    {
        var harness = FlowHarness.Create(Prelude + service);
        var call = Assert.Single(harness.Calls(method, "ProduceAsync"));
        return TaskObservation.Classify(call, harness.Index, harness.Symbols);
    }

    private static string Service(string body, string signature = "async Task Run(IProducer<string, string> producer, Message<string, string> message)")
        => $$"""
            class Service
            {
                private Task? _pending;

                {{signature}}
                {
            {{body}}
                }

                static void Track(Task task) { }
            }
            """;

    [Theory]
    [InlineData("await producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Awaited))]
    [InlineData("await producer.ProduceAsync(\"t\", message).ConfigureAwait(false);", nameof(TaskUseKind.Awaited))]
    [InlineData("var result = await producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Awaited))]
    [InlineData("producer.ProduceAsync(\"t\", message).Wait();", nameof(TaskUseKind.Awaited))]
    [InlineData("producer.ProduceAsync(\"t\", message).GetAwaiter().GetResult();", nameof(TaskUseKind.Awaited))]
    [InlineData("var offset = producer.ProduceAsync(\"t\", message).Result.Offset;", nameof(TaskUseKind.Inspected))]
    [InlineData("Track(producer.ProduceAsync(\"t\", message));", nameof(TaskUseKind.Passed))]
    [InlineData("_pending = producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Stored))]
    [InlineData("producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Discarded))]
    [InlineData("_ = producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Discarded))]
    [InlineData("var unused = producer.ProduceAsync(\"t\", message);", nameof(TaskUseKind.Discarded))]
    public void Simple_statements(string body, string expected)
        => Assert.Equal(expected, Classify(Service(body)).Kind.ToString());

    [Fact]
    public void Returned_from_the_method()
        => Assert.Equal(TaskUseKind.Returned, Classify(Service("return producer.ProduceAsync(\"t\", message);", "Task Run(IProducer<string, string> producer, Message<string, string> message)")).Kind);

    [Fact]
    public void Stored_in_a_local_and_awaited_later()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service("""
                    var delivery = producer.ProduceAsync("t", message);
                    Console.WriteLine("sent");
                    await delivery;
            """)).Kind);

    [Fact]
    public void Stored_in_a_local_that_is_only_overwritten_is_discarded()
        => Assert.Equal(TaskUseKind.Discarded, Classify(Service("""
                    Task delivery = producer.ProduceAsync("t", message);
                    delivery = Task.CompletedTask;
            """)).Kind);

    [Fact]
    public void Stored_in_a_local_then_only_discarded_is_discarded()
        => Assert.True(Classify(Service("""
                    var delivery = producer.ProduceAsync("t", message);
                    _ = delivery;
            """)).IsUnobserved);

    [Fact]
    public void In_an_array_passed_to_WhenAll_that_is_awaited()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service("""
                    var tasks = new Task[] { producer.ProduceAsync("t", message), Task.Delay(10) };
                    await Task.WhenAll(tasks);
            """)).Kind);

    [Fact]
    public void In_a_list_initializer_passed_to_WhenAny_that_is_awaited()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service("""
                    var tasks = new List<Task> { producer.ProduceAsync("t", message) };
                    await Task.WhenAny(tasks);
            """)).Kind);

    [Fact]
    public void Directly_in_WhenAll_that_is_discarded_is_discarded()
        => Assert.True(Classify(Service("""
                    Task.WhenAll(producer.ProduceAsync("t", message), Task.Delay(10));
            """)).IsUnobserved);

    [Fact]
    public void Added_to_a_collection_is_passed()
        => Assert.Equal(TaskUseKind.Passed, Classify(Service("""
                    var tasks = new List<Task>();
                    tasks.Add(producer.ProduceAsync("t", message));
                    await Task.WhenAll(tasks);
            """)).Kind);

    [Fact]
    public void Returned_from_a_Select_lambda_is_returned_to_its_caller()
        => Assert.Equal(TaskUseKind.Returned, Classify(Service("""
                    await Task.WhenAll(new[] { "a", "b" }.Select(key => producer.ProduceAsync("t", message)));
            """)).Kind);

    [Fact]
    public void Returned_from_a_discarded_Task_Run_lambda_is_discarded_through_the_run()
    {
        var use = Classify(Service("""
                    _ = Task.Run(() => producer.ProduceAsync("t", message));
            """));
        Assert.True(use.IsUnobserved);
        Assert.True(use.ThroughFireAndForgetRun);
    }

    [Fact]
    public void Returned_from_an_awaited_Task_Run_lambda_is_awaited()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service("""
                    await Task.Run(() => producer.ProduceAsync("t", message));
            """)).Kind);

    [Fact]
    public void Discarded_inside_a_void_lambda_is_discarded()
        => Assert.True(Classify(Service("""
                    Array.ForEach(new[] { "a" }, key => producer.ProduceAsync("t", message));
            """)).IsUnobserved);

    [Fact]
    public void Conditional_access_awaited_with_coalesce_is_awaited()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service(
            "await (producer?.ProduceAsync(\"t\", message) ?? Task.FromResult<DeliveryResult<string, string>>(null!));",
            "async Task Run(IProducer<string, string>? producer, Message<string, string> message)")).Kind);

    [Fact]
    public void Conditional_access_returned_is_returned()
        => Assert.Equal(TaskUseKind.Returned, Classify(Service(
            "return producer?.ProduceAsync(\"t\", message) ?? Task.CompletedTask;",
            "Task Run(IProducer<string, string>? producer, Message<string, string> message)")).Kind);

    [Fact]
    public void Conditional_access_as_a_statement_is_discarded()
        => Assert.True(Classify(Service(
            "producer?.ProduceAsync(\"t\", message);",
            "void Run(IProducer<string, string>? producer, Message<string, string> message)")).IsUnobserved);

    [Fact]
    public void Continued_with_a_continuation_that_reads_the_exception()
        => Assert.Equal(TaskUseKind.ContinuedObserving, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(t => Console.WriteLine(t.Exception));
            """)).Kind);

    [Fact]
    public void Continued_with_a_continuation_that_checks_IsFaulted()
        => Assert.Equal(TaskUseKind.ContinuedObserving, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(t =>
                    {
                        if (t.IsFaulted)
                        {
                            Console.WriteLine("failed");
                        }
                    });
            """)).Kind);

    [Fact]
    public void Continued_only_on_fault_is_observing()
        => Assert.Equal(TaskUseKind.ContinuedObserving, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(_ => Console.WriteLine("failed"), TaskContinuationOptions.OnlyOnFaulted);
            """)).Kind);

    [Fact]
    public void Continued_only_on_success_never_sees_the_failure()
        => Assert.Equal(TaskUseKind.ContinuedWithoutObserving, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(t => Console.WriteLine(t.Result.Offset), TaskContinuationOptions.OnlyOnRanToCompletion);
            """)).Kind);

    [Fact]
    public void Continued_with_a_continuation_that_ignores_the_task()
        => Assert.Equal(TaskUseKind.ContinuedWithoutObserving, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(_ => Console.WriteLine("done"));
            """)).Kind);

    [Fact]
    public void Continued_with_a_method_group_is_unknown()
        => Assert.Equal(TaskUseKind.Unknown, Classify(Service("""
                    _ = producer.ProduceAsync("t", message).ContinueWith(Track);
            """)).Kind);

    [Fact]
    public void Inside_an_expression_tree_never_runs()
        => Assert.Equal(TaskUseKind.InExpressionTree, Classify(Service(
            "mock.Setup(p => p.ProduceAsync(\"t\", message, default));",
            "void Run(IMock<IProducer<string, string>> mock, Message<string, string> message)")).Kind);

    [Fact]
    public void Ternary_branch_that_is_awaited()
        => Assert.Equal(TaskUseKind.Awaited, Classify(Service("""
                    await (message.Key is null ? Task.CompletedTask : producer.ProduceAsync("t", message));
            """)).Kind);

    [Fact]
    public void A_stored_task_read_once_observingly_counts_as_observed()
        => Assert.False(Classify(Service("""
                    var delivery = producer.ProduceAsync("t", message);
                    _ = delivery;
                    Track(delivery);
            """)).IsUnobserved);
}
