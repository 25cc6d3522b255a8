using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Replay;

/// <summary>
/// A replay service: an operator rewinds the order stream. Three mistakes real services make around it.
/// </summary>
public sealed class OrderReplayHost : IHostedService
{
    private readonly IConsumer<string, string> _consumer;

    public OrderReplayHost(IConsumer<string, string> consumer) => _consumer = consumer;

    // The host awaits StartAsync before it starts the next hosted service and the web server: this loop never returns.
    public Task StartAsync(CancellationToken cancellationToken) // ⚠ KAFKA114
    {
        _consumer.Subscribe("orders");
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = _consumer.Consume(cancellationToken);
            Console.WriteLine($"replayed {result.Message.Key}");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class OrderRewinder
{
    private readonly IConsumer<string, string> _consumer;

    public OrderRewinder(IConsumer<string, string> consumer) => _consumer = consumer;

    public void Start() => _consumer.Subscribe("orders");

    // Assign replaces the whole assignment: the group's other partitions stop being consumed.
    public void Rewind(TopicPartition partition, Offset from)
        => _consumer.Assign(new TopicPartitionOffset(partition, from)); // ⚠ KAFKA116
}

public sealed class OrderTail
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CancellationTokenSource _stop = new();

    public OrderTail(IConsumer<string, string> consumer) => _consumer = consumer;

    public void Start()
    {
        _consumer.Subscribe("orders");
        _ = Task.Run(Listen); // ⚠ KAFKA117
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
