using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaAnalyzers.Tests.HostStart;

/// <summary>
/// The runtime fact behind KAFKA114 (docs/rules/KAFKA114.md), on the real Microsoft.Extensions.Hosting and
/// librdkafka's mock cluster: a host starts a <see cref="BackgroundService"/> built like the rule's flagged
/// example (subscribe, then a <c>Consume(stoppingToken)</c> loop before the first <c>await</c>) and, registered
/// after it, a second hosted service standing for the web server and health checks. The topic stays idle for
/// <see cref="IdleWindow"/> after the worker entered <c>Consume</c>; if the second service has not started by then,
/// one message is produced and the wait goes on. Linked into two test projects: KafkaAnalyzers.Tests (hosting
/// 10.0, what the repository uses) and KafkaAnalyzers.Hosting9.Tests (hosting 9.0); each asserts its outcome.
/// KafkaAnalyzers.Tests also runs the analyzer over this file: <see cref="OrderWorker"/> is flagged on hosting 9,
/// <see cref="YieldingOrderWorker"/> (the code fix applied) is not.
/// </summary>
internal static class HostStartScenario
{
    /// <summary>How long the topic stays idle after the worker entered Consume before a message is produced.</summary>
    public static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(3);

    /// <summary>Bound on every wait for a condition (the machine may be loaded); never part of what is asserted.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static int HostingMajorVersion => typeof(BackgroundService).Assembly.GetName().Version!.Major;

    public static async Task<HostStartMeasurement> RunAsync(bool yieldFirst)
    {
        using var cluster = InProcessKafkaCluster.Start(brokerCount: 1);
        var topic = new OrderTopic("kafka114-" + Guid.NewGuid().ToString("N"));
        cluster.CreateTopic(topic.Name);
        var probe = new StartProbe();

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(probe);
        builder.Services.AddSingleton(topic);
        builder.Services.AddSingleton<IConsumer<string, string>>(_ => new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "kafka114-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build());
        if (yieldFirst)
        {
            builder.Services.AddHostedService<YieldingOrderWorker>();
        }
        else
        {
            builder.Services.AddHostedService<OrderWorker>();
        }

        builder.Services.AddHostedService<HealthEndpoint>();
        using var host = builder.Build();

        // Up to hosting 9 StartAsync itself blocks in the worker's Consume: call it off the test thread.
        var startCalledAt = probe.Clock.Elapsed;
        var starting = Task.Run(async () =>
        {
            await host.StartAsync();
            return probe.Clock.Elapsed;
        });
        await probe.Consuming.Task.WaitAsync(Patience);
        var consumingAt = probe.Clock.Elapsed;

        var idleLeft = IdleWindow - (probe.Clock.Elapsed - consumingAt);
        var startedWhileIdle = await Completes(probe.SecondStarted.Task, idleLeft > TimeSpan.Zero ? idleLeft : TimeSpan.Zero);
        TimeSpan? producedAt = null;
        if (!startedWhileIdle)
        {
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            producedAt = probe.Clock.Elapsed;
            await producer.ProduceAsync(topic.Name, new Message<string, string> { Key = "order-1", Value = "created" }).WaitAsync(Patience);
        }

        var secondStartedAt = await probe.SecondStarted.Task.WaitAsync(Patience);
        var hostStartedAt = await starting.WaitAsync(Patience);
        if (producedAt is not null)
        {
            // The second service starts as soon as the handler's first await yields; stopping the host right then
            // would cancel the handler's delay before it counts the message.
            await probe.FirstHandled.Task.WaitAsync(Patience);
        }

        using (var stop = new CancellationTokenSource(Patience))
        {
            await host.StopAsync(stop.Token);
        }

        return new HostStartMeasurement(HostingMajorVersion, startCalledAt, consumingAt, secondStartedAt, producedAt, hostStartedAt, probe.Handled);
    }

    private static async Task<bool> Completes(Task task, TimeSpan within)
        => await Task.WhenAny(task, Task.Delay(within)) == task;

    public sealed class StartProbe
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public TaskCompletionSource Consuming { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<TimeSpan> SecondStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when a handler call completed.</summary>
        public TaskCompletionSource FirstHandled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Handled;
    }

    public sealed record OrderTopic(string Name);

    /// <summary>KAFKA114's flagged shape: the loop, and its first blocking Consume, come before any await.</summary>
    public sealed class OrderWorker : BackgroundService
    {
        private readonly IConsumer<string, string> _consumer;
        private readonly OrderTopic _topic;
        private readonly StartProbe _probe;

        public OrderWorker(IConsumer<string, string> consumer, OrderTopic topic, StartProbe probe)
        {
            _consumer = consumer;
            _topic = topic;
            _probe = probe;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            _consumer.Subscribe(_topic.Name);
            while (!stoppingToken.IsCancellationRequested)
            {
                _probe.Consuming.TrySetResult();
                var result = _consumer.Consume(stoppingToken);
                await HandleAsync(result.Message.Value, stoppingToken);
            }
        }

        /// <summary>Stands for a database write: completes asynchronously, as real I/O does.</summary>
        private async Task HandleAsync(string value, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken);
            Interlocked.Increment(ref _probe.Handled);
            _probe.FirstHandled.TrySetResult();
        }
    }

    /// <summary>The same worker with KAFKA114's code fix applied: <c>await Task.Yield();</c> first.</summary>
    public sealed class YieldingOrderWorker : BackgroundService
    {
        private readonly IConsumer<string, string> _consumer;
        private readonly OrderTopic _topic;
        private readonly StartProbe _probe;

        public YieldingOrderWorker(IConsumer<string, string> consumer, OrderTopic topic, StartProbe probe)
        {
            _consumer = consumer;
            _topic = topic;
            _probe = probe;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            _consumer.Subscribe(_topic.Name);
            while (!stoppingToken.IsCancellationRequested)
            {
                _probe.Consuming.TrySetResult();
                var result = _consumer.Consume(stoppingToken);
                await HandleAsync(result.Message.Value, stoppingToken);
            }
        }

        private async Task HandleAsync(string value, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken);
            Interlocked.Increment(ref _probe.Handled);
            _probe.FirstHandled.TrySetResult();
        }
    }

    /// <summary>Registered after the worker: stands for the web server and its health checks.</summary>
    public sealed class HealthEndpoint : IHostedService
    {
        private readonly StartProbe _probe;

        public HealthEndpoint(StartProbe probe) => _probe = probe;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _probe.SecondStarted.TrySetResult(_probe.Clock.Elapsed);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// Times on one clock (ms precision is enough): when StartAsync was called, the worker entered Consume, the second
/// service started, the message was produced (null: none was needed), StartAsync returned.
/// </summary>
internal sealed record HostStartMeasurement(int HostingMajor, TimeSpan StartCalledAt, TimeSpan ConsumingAt, TimeSpan SecondStartedAt, TimeSpan? ProducedAt, TimeSpan HostStartedAt, int Handled)
{
    public override string ToString()
        => $"hosting {HostingMajor}: from StartAsync, worker in Consume after {Ms(ConsumingAt)} ms, second hosted service started after {Ms(SecondStartedAt)} ms"
           + (ProducedAt is { } produced ? $" ({(SecondStartedAt - produced).TotalMilliseconds:F0} ms after the first message, produced after {Ms(produced)} ms)" : " (no message produced)")
           + $", StartAsync returned after {Ms(HostStartedAt)} ms";

    private string Ms(TimeSpan at) => (at - StartCalledAt).TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
}
