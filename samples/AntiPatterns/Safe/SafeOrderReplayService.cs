using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Safe;

/// <summary>The replay service of Replay/OrderReplayService.cs, written so that no rule fires.</summary>
public sealed class SafeOrderReplayHost : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;

    public SafeOrderReplayHost(IConsumer<string, string> consumer) => _consumer = consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Give the host its thread back first (needed up to Microsoft.Extensions.Hosting 9.x; harmless after).
        await Task.Yield();
        _consumer.Subscribe("orders");
        while (!stoppingToken.IsCancellationRequested)
        {
            var result = _consumer.Consume(stoppingToken);
            Console.WriteLine($"replayed {result.Message.Key}");
        }
    }
}

public sealed class SafeOrderRewinder
{
    private readonly IConsumer<string, string> _consumer;

    public SafeOrderRewinder(IConsumer<string, string> consumer) => _consumer = consumer;

    public void Start() => _consumer.Subscribe("orders");

    // Seek moves one assigned partition and keeps the rest of the assignment.
    public void Rewind(TopicPartition partition, Offset from) => _consumer.Seek(new TopicPartitionOffset(partition, from));

    // Re-reading from the committed offsets keeps every partition: the consumer's own assignment.
    public void RewindToCommitted() => _consumer.Assign(_consumer.Assignment.Select(p => new TopicPartitionOffset(p, Offset.Stored)));
}

public sealed class SafeOrderTail : IHostedService
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SafeOrderTail(IConsumer<string, string> consumer) => _consumer = consumer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer.Subscribe("orders");
        _loop = Task.Run(Listen, cancellationToken);
        return Task.CompletedTask;
    }

    // The loop's task is awaited: if it failed, stopping the host surfaces the exception.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void Listen()
    {
        while (!_stop.IsCancellationRequested)
        {
            var result = _consumer.Consume(_stop.Token);
            Console.WriteLine($"tail {result.Message.Key}");
        }
    }
}
