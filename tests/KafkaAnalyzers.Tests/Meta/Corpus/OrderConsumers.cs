// Realistic consume loops for the meta-tests (not compiled into the test assembly): the shapes the
// consumer rules report, next to the safe ones they must not.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orders.Consumers;

/// <summary>Fans orders out to the thread pool with auto-commit on, logs failures, closes from StopAsync.</summary>
public sealed class OrderRouter : BackgroundService
{
    private readonly IConsumer<string, string> _consumer;
    private readonly ILogger<OrderRouter> _logger;

    public OrderRouter(IConfiguration configuration, ILogger<OrderRouter> logger)
    {
        _logger = logger;
        _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "order-router",
        }).Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _consumer.Subscribe("orders");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = _consumer.Consume(stoppingToken);
                _ = Task.Run(() => RouteAsync(result), stoppingToken);
            }
            catch (ConsumeException ex)
            {
                _logger.LogWarning(ex, "Consume error");
            }
        }
    }

    private async Task RouteAsync(ConsumeResult<string, string> result)
    {
        try
        {
            await Task.Delay(result.Message.Value.Length);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Routing failed for {Key}", result.Message.Key);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _consumer.Close();
        await base.StopAsync(cancellationToken);
    }
}

/// <summary>Commits first, processes second, never closes; and a reader with a busy loop.</summary>
public sealed class RefundWriter(IConfiguration configuration, ILogger<RefundWriter> logger)
{
    public void Run(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "refunds",
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("refunds");
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            consumer.Commit(result);
            logger.LogInformation("Refund {Key}", result.Message.Key);
            Refund(result.Message.Value);
        }
    }

    public void Tail(IConsumer<string, string> consumer, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(0);
            if (result is null)
            {
                continue;
            }

            Refund(result.Message.Value);
        }
    }

    private static void Refund(string refund) => Console.WriteLine(refund);
}

/// <summary>Configuration mistakes: auto-commit off and never committed, StoreOffset with the automatic store, Commit with auto-commit.</summary>
public sealed class CatalogSync(IConfiguration configuration)
{
    public void Mirror(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "catalog-mirror",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("catalog");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(cancellationToken);
                Console.WriteLine(result.Message.Value);
                consumer.StoreOffset(result);
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    public void Index(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "catalog-index" };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("catalog");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(cancellationToken);
                Console.WriteLine(result.Message.Value);
                consumer.StoreOffset(result);
                consumer.Commit();
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    public IConsumer<string, string> CreatePriceConsumer()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "prices",
            EnableAutoOffsetStore = false,
            SessionTimeoutMs = 60000,
            MaxPollIntervalMs = 30000,
        };
        return new ConsumerBuilder<string, string>(config).Build();
    }

    public void PollEveryOrder(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine(ReadOne(cancellationToken));
        }
    }

    private string ReadOne(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "poller", EnableAutoOffsetStore = false };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("orders");
        try
        {
            var result = consumer.Consume(cancellationToken);
            consumer.StoreOffset(result);
            return result.Message.Value;
        }
        finally
        {
            consumer.Close();
        }
    }
}

/// <summary>The safe shapes: at-least-once with a dead-letter sink, a channel dispatcher with in-loop offsets.</summary>
public sealed class SafeOrderConsumer(IConfiguration configuration, IDeadLetterSink deadLetters, ILogger<SafeOrderConsumer> logger) : BackgroundService
{
    private readonly Channel<ConsumeResult<string, string>> _done = Channel.CreateUnbounded<ConsumeResult<string, string>>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "safe-orders",
            EnableAutoOffsetStore = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("orders");
        try
        {
            while (true)
            {
                ConsumeResult<string, string> result;
                try
                {
                    result = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.LogWarning(ex, "Consume error");
                    continue;
                }

                try
                {
                    await Task.Delay(result.Message.Value.Length, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await deadLetters.PublishAsync(result, ex, cancellationToken: stoppingToken);
                }

                consumer.StoreOffset(result);
                while (_done.Reader.TryRead(out var finished))
                {
                    logger.LogDebug("Finished {Offset}", finished.TopicPartitionOffset);
                }
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Stopping");
        }
        finally
        {
            consumer.Close();
        }
    }
}
