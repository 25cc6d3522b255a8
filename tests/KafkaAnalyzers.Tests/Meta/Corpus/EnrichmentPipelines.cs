// Realistic consume-transform-produce code for the meta-tests (not compiled into the test assembly).
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace Orders.Enrichment;

/// <summary>Reads orders, writes their priced copy, and commits each order while the copy may still be queued.</summary>
public sealed class PricingWorker : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;

    public PricingWorker(IConsumer<string, string> consumer, IProducer<string, string> producer)
    {
        _consumer = consumer;
        _producer = producer;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _consumer.Subscribe("orders");
        while (!stoppingToken.IsCancellationRequested)
        {
            var order = _consumer.Consume(stoppingToken);
            var priced = new Message<string, string> { Key = order.Message.Key, Value = Price(order.Message.Value) };
            var delivery = _producer.ProduceAsync("orders-priced", priced, stoppingToken);
            _consumer.Commit(order);
            await delivery;
        }
    }

    private static string Price(string order) => order + ";price=10";
}

/// <summary>A message handler that mirrors each input with Produce and stores the offset without a Flush.</summary>
public sealed class AuditMirror
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;

    public AuditMirror(IConsumer<string, string> consumer, IProducer<string, string> producer)
    {
        _consumer = consumer;
        _producer = producer;
    }

    public void Handle(ConsumeResult<string, string> input)
    {
        _producer.Produce("audit-mirror", input.Message, report =>
        {
            if (report.Error.IsError)
            {
                Console.Error.WriteLine($"mirror failed: {report.Error.Reason}");
            }
        });
        _consumer.StoreOffset(input);
    }
}

/// <summary>The safe shapes next to them: awaited, flushed, and transactional.</summary>
public sealed class SafePricingWorker
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;

    public SafePricingWorker(IConsumer<string, string> consumer, IProducer<string, string> producer)
    {
        _consumer = consumer;
        _producer = producer;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var order = _consumer.Consume(ct);
            await _producer.ProduceAsync("orders-priced", order.Message, ct);
            _consumer.Commit(order);
        }
    }

    public void Mirror(ConsumeResult<string, string> input)
    {
        _producer.Produce("audit-mirror", input.Message, report =>
        {
            if (report.Error.IsError)
            {
                throw new KafkaException(report.Error);
            }
        });
        _producer.Flush(TimeSpan.FromSeconds(10));
        _consumer.StoreOffset(input);
    }
}
