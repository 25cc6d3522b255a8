using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Safe;

/// <summary>
/// The dispatcher written like Confluent's at-least-once example: the automatic offset store off, each
/// offset stored after its booking completes on the loop's thread, fatal consume errors end the loop,
/// and the consumer is closed in a finally before it is disposed. Nothing here is reported.
/// </summary>
public sealed class SafeShipmentDispatchService(IConfiguration configuration, Fulfilment.CarrierClient carrier, ILogger<SafeShipmentDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "shipment-dispatch",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
        };

        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("orders.paid");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, string> result;
                try
                {
                    result = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.LogWarning(ex, "Consume failed: {Reason}", ex.Error.Reason);
                    continue;
                }

                // A failed booking throws out of the loop: the offset is not stored and the order comes again.
                await carrier.BookAsync(result.Message.Key, result.Message.Value, stoppingToken);
                consumer.StoreOffset(result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Shipment dispatch stopping");
        }
        finally
        {
            consumer.Close();
        }
    }
}
