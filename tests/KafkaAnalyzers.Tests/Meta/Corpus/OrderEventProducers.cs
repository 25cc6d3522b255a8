// Realistic producer call sites for the meta-tests (not compiled into the test assembly): a webhook
// relay, a generic producer helper, a hosted outbox publisher. Each mistake is one rule on its own
// span; the safe and unknown shapes around them stay silent.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orders.Messaging;

/// <summary>A generic helper many services copy: one producer per message type.</summary>
public sealed class KafkaProducer<T> : IDisposable
{
    private readonly IProducer<string, T> _producer;
    private readonly ILogger _logger;

    public KafkaProducer(ProducerConfig config, ILogger logger)
    {
        _producer = new ProducerBuilder<string, T>(config).Build();
        _logger = logger;
    }

    public void Send(string topic, string key, T value)
        => _producer.Produce(topic, new Message<string, T> { Key = key, Value = value });

    public void SendTracked(string topic, string key, T value)
        => _producer.Produce(topic, new Message<string, T> { Key = key, Value = value }, report => _logger.LogDebug("sent {Key}", report.Key));

    public Task<DeliveryResult<string, T>> SendAsync(string topic, string key, T value)
        => _producer.ProduceAsync(topic, new Message<string, T> { Key = key, Value = value });

    public void Dispose() => _producer.Dispose();
}

/// <summary>Relays incoming webhooks to Kafka.</summary>
public sealed class WebhookRelay
{
    private readonly IProducer<string, string> _producer;
    private readonly ProducerConfig _config;

    public WebhookRelay(IProducer<string, string> producer, ProducerConfig config)
    {
        _producer = producer;
        _config = config;
    }

    public void Relay(string source, string body)
    {
        _ = _producer.ProduceAsync("webhooks." + source, new Message<string, string> { Key = source, Value = body });
    }

    public async Task RelayAllAsync(IEnumerable<string> bodies)
    {
        foreach (var body in bodies)
        {
            await _producer.ProduceAsync("webhooks.bulk", new Message<string, string> { Value = body });
        }
    }

    public void RelayOne(string body)
    {
        using var producer = new ProducerBuilder<string, string>(_config).Build();
        producer.Produce("webhooks.single", new Message<string, string> { Value = body });
    }

    public void RelayAndWait(string body)
    {
        _producer.Produce("webhooks.sync", new Message<string, string> { Value = body }, report =>
        {
            if (report.Error.IsError)
            {
                Console.Error.WriteLine(report.Error.Reason);
            }
        });
        _producer.Flush(TimeSpan.FromSeconds(5));
    }

    public async Task RelayBatchAsync(IReadOnlyList<string> bodies)
        => await Task.WhenAll(bodies.Select(body => _producer.ProduceAsync("webhooks.batch", new Message<string, string> { Value = body })));
}

/// <summary>Publishes the outbox table every few seconds until the host stops.</summary>
public sealed class OutboxPublisher : BackgroundService
{
    private readonly ProducerConfig _config;
    private readonly Func<IReadOnlyList<(string Key, string Value)>> _pending;

    public OutboxPublisher(ProducerConfig config, Func<IReadOnlyList<(string Key, string Value)>> pending)
    {
        _config = config;
        _pending = pending;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var producer = new ProducerBuilder<string, string>(_config).Build();
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var (key, value) in _pending())
            {
                producer.Produce("outbox", new Message<string, string> { Key = key, Value = value }, OnDelivered);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
        }

        var left = producer.Flush(TimeSpan.FromSeconds(30));
        if (left > 0)
        {
            Console.Error.WriteLine($"{left} outbox messages not published");
        }
    }

    private static void OnDelivered(DeliveryReport<string, string> report)
    {
        if (report.Status != PersistenceStatus.Persisted)
        {
            Console.Error.WriteLine($"outbox message {report.Key} not persisted: {report.Error.Reason}");
        }
    }
}
