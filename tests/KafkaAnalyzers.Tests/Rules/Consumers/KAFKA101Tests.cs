using Microsoft.CodeAnalysis.Testing;
using static KafkaAnalyzers.Tests.Rules.Consumers.ConsumerRuleVerifier;

namespace KafkaAnalyzers.Tests.Rules.Consumers;

/// <summary>KAFKA101: auto-commit and the automatic offset store on while consumed messages go to work the loop does not wait for.</summary>
public class KAFKA101Tests
{
    private const string Rule = "KAFKA101";

    private static DiagnosticResult Expected(int marker, string handOff)
        => Diagnostic(Descriptors.KAFKA101_AutoCommitWithAsyncProcessing).WithLocation(marker).WithArguments(handOff);

    /// <summary>A BackgroundService building its consumer from <paramref name="config"/>, with <paramref name="body"/> after Consume.</summary>
    private static string Service(string config, string body, string members = "") => $$"""
        public sealed class OrdersService : BackgroundService
        {
            private readonly ILogger<OrdersService> _logger;

            public OrdersService(ILogger<OrdersService> logger) => _logger = logger;

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                await Task.Yield();
                var config = {{config}};
                using var consumer = new ConsumerBuilder<string, string>(config).Build();
                consumer.Subscribe("orders");
                while (!stoppingToken.IsCancellationRequested)
                {
                    var result = consumer.Consume(stoppingToken);
        {{body}}
                }

                consumer.Close();
            }

            private Task HandleAsync(string order) => Task.Delay(order.Length);

            private void Handle(string order) => _logger.LogInformation("{Order}", order);
        {{members}}
        }
        """;

    private const string Defaults = """new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "orders" }""";

    /// <summary>The defaults, marked: a diagnostic with the await-then-store fix points at the configuration it edits.</summary>
    private const string MarkedDefaults = """{|#1:new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "orders" }|}""";

    [Fact]
    public Task Flags_discarded_task_run()
        => VerifyAsync(Rule, Service(MarkedDefaults, """
                    {|#0:Task.Run(() => HandleAsync(result.Message.Value))|};
            """), Expected(0, "'Task.Run'").WithLocation(1));

    [Fact]
    public Task Flags_task_run_assigned_to_a_discard()
        => VerifyAsync(Rule, Service(MarkedDefaults, """
                    _ = {|#0:Task.Run(async () =>
                    {
                        await HandleAsync(result.Message.Value);
                    })|};
            """), Expected(0, "'Task.Run'").WithLocation(1));

    [Fact]
    public Task Flags_non_awaited_async_call()
        => VerifyAsync(Rule, Service(MarkedDefaults, """
                    _ = {|#0:HandleAsync(result.Message.Value)|};
            """), Expected(0, "'HandleAsync', an async call").WithLocation(1));

    [Fact]
    public Task Flags_channel_writer()
        => VerifyAsync(Rule, Service(Defaults, """
                    await {|#0:_queue.Writer.WriteAsync(result, stoppingToken)|};
            """, "private readonly Channel<ConsumeResult<string, string>> _queue = Channel.CreateBounded<ConsumeResult<string, string>>(100);"), Expected(0, "'ChannelWriter.WriteAsync'"));

    [Fact]
    public Task Flags_thread_pool_work_item()
        => VerifyAsync(Rule, Service(Defaults, """
                    {|#0:ThreadPool.QueueUserWorkItem(_ => Handle(result.Message.Value))|};
            """), Expected(0, "'ThreadPool.QueueUserWorkItem'"));

    [Fact]
    public Task Flags_a_new_thread()
        => VerifyAsync(Rule, Service(Defaults, """
                    var worker = {|#0:new Thread(() => Handle(result.Message.Value))|};
                    worker.Start();
            """), Expected(0, "a new 'Thread'"));

    [Fact]
    public Task Flags_explicit_true_settings()
        => VerifyAsync(Rule, Service("""new ConsumerConfig { GroupId = "orders", EnableAutoCommit = true, EnableAutoOffsetStore = true }""", """
                    {|#0:Task.Factory.StartNew(() => Handle(result.Message.Value))|};
            """), Expected(0, "'TaskFactory.StartNew'"));

    [Fact]
    public Task Fix_sets_EnableAutoOffsetStore_false_awaits_the_work_and_stores_the_offset()
        => VerifyFixAsync(Rule, Service("""{|#1:new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "orders" }|}""", """
                    // fan out so the loop keeps up
                    _ = {|#0:Task.Run(() => HandleAsync(result.Message.Value))|};
            """), new[] { Expected(0, "'Task.Run'").WithLocation(1) }, Service("""new ConsumerConfig { BootstrapServers = "b:9092", GroupId = "orders", EnableAutoOffsetStore = false }""", """
                    // fan out so the loop keeps up
                    await Task.Run(() => HandleAsync(result.Message.Value));
                    consumer.StoreOffset(result);
            """));

    [Fact]
    public Task Fix_awaits_a_discarded_async_call_and_replaces_an_explicit_true()
        => VerifyFixAsync(Rule, Service("""new ConsumerConfig { GroupId = "orders", {|#1:EnableAutoOffsetStore = true|} }""", """
                    {|#0:HandleAsync(result.Message.Value)|};
            """), new[] { Expected(0, "'HandleAsync', an async call").WithLocation(1) }, Service("""new ConsumerConfig { GroupId = "orders", EnableAutoOffsetStore = false }""", """
                    await HandleAsync(result.Message.Value);
                    consumer.StoreOffset(result);
            """));

    [Fact]
    public Task No_fix_for_a_channel_hand_off()
        => VerifyNoFixAsync(Rule, Service(Defaults, """
                    {|#0:_queue.Writer.TryWrite(result)|};
            """, "private readonly Channel<ConsumeResult<string, string>> _queue = Channel.CreateUnbounded<ConsumeResult<string, string>>();"), new[] { Expected(0, "'ChannelWriter.TryWrite'") });

    // ---- negatives ------------------------------------------------------------------------------

    [Fact]
    public Task Silent_for_the_official_at_least_once_settings()
        => VerifyAsync(Rule, Service("""new ConsumerConfig { GroupId = "orders", EnableAutoOffsetStore = false }""", """
                    _ = Task.Run(async () =>
                    {
                        await HandleAsync(result.Message.Value);
                        consumer.StoreOffset(result);
                    });
            """));

    [Fact]
    public Task Silent_when_auto_commit_is_off()
        => VerifyAsync(Rule, Service("""new ConsumerConfig { GroupId = "orders", EnableAutoCommit = false }""", """
                    _ = Task.Run(() => HandleAsync(result.Message.Value));
            """));

    [Fact]
    public Task Silent_when_the_work_is_awaited()
        => VerifyAsync(Rule, Service(Defaults, """
                    await Task.Run(() => HandleAsync(result.Message.Value));
                    await HandleAsync(result.Message.Value);
            """));

    [Fact]
    public Task Silent_for_synchronous_processing()
        => VerifyAsync(Rule, Service(Defaults, """
                    Handle(result.Message.Value);
            """));

    [Fact]
    public Task Silent_when_the_tasks_are_awaited_before_the_next_batch()
        => VerifyAsync(Rule, Service(Defaults, """
                    var tasks = new List<Task> { HandleAsync(result.Message.Value) };
                    var work = Task.Run(() => Handle(result.Message.Key));
                    tasks.Add(work);
                    await Task.WhenAll(tasks);
            """));

    [Fact]
    public Task Silent_for_parallel_foreach_which_blocks_until_done()
        => VerifyAsync(Rule, Service(Defaults, """
                    Parallel.ForEach(result.Message.Value.Split(','), Handle);
            """));

    [Fact]
    public Task Silent_when_the_configuration_is_unknown()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(ConsumerConfig config) => _consumer = new ConsumerBuilder<string, string>(config).Build();

                public void Run(CancellationToken ct)
                {
                    while (true)
                    {
                        var result = _consumer.Consume(ct);
                        _ = Task.Run(() => Console.WriteLine(result.Message.Value));
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_for_an_injected_consumer()
        => VerifyAsync(Rule, """
            public sealed class Worker
            {
                private readonly IConsumer<string, string> _consumer;

                public Worker(IConsumer<string, string> consumer) => _consumer = consumer;

                public void Run(CancellationToken ct)
                {
                    while (true)
                    {
                        var result = _consumer.Consume(ct);
                        _ = Task.Run(() => Console.WriteLine(result.Message.Value));
                    }
                }
            }
            """);

    [Fact]
    public Task Silent_when_the_background_work_does_not_carry_the_message()
        => VerifyAsync(Rule, Service(Defaults, """
                    Handle(result.Message.Value);
                    _ = Task.Run(() => _logger.LogInformation("heartbeat"));
            """));

    [Fact]
    public Task Silent_for_a_task_run_hosting_the_consume_loop()
        => VerifyAsync(Rule, """
            public sealed class Worker : BackgroundService
            {
                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
                {
                    using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "g" }).Build();
                    consumer.Subscribe("orders");
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var result = consumer.Consume(stoppingToken);
                        Console.WriteLine(result.Message.Value);
                    }

                    consumer.Close();
                }, stoppingToken);
            }
            """);
}
