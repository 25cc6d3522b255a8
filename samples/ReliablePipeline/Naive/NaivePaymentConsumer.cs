// DELIBERATELY UNSAFE. This is how the payment consumer is often written, and exactly what KafkaAnalyzers
// warns about: auto-commit while the work runs on Task.Run (KAFKA101), catch-log-and-continue instead of a
// dead letter (KAFKA103), a consume error swallowed without checking IsFatal (KAFKA107), a consumer disposed
// without Close (KAFKA105), results published with an unobserved ProduceAsync (KAFKA005) by an acks=1
// producer without idempotence (KAFKA001, KAFKA002) that is disposed without Flush (KAFKA007), and a charge
// sent without an idempotency key. Do not copy it; see Reliable/ for the fix.
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using ReliablePipeline.Orders;
using ReliablePipeline.Payments;
using ReliablePipeline.Scenario;

namespace ReliablePipeline.Naive;

/// <summary>Charges each order and publishes the payment result.</summary>
public sealed class NaivePaymentConsumer(
    string bootstrapServers, string groupId, string ordersTopic, string paymentsTopic, PaymentClient payments, PipelineProbe probe, ILogger logger)
{
    /// <summary>The consume loop; returns when <paramref name="stoppingToken"/> fires.</summary>
    public void Run(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 1000,
        };
        var resultsConfig = new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.Leader };

        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        using var results = new ProducerBuilder<string, string>(resultsConfig).Build();
        consumer.Subscribe(ordersTopic);
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]> result;
            try
            {
                result = consumer.Consume(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ConsumeException ex)
            {
                logger.LogError(ex, "Consume failed");
                continue;
            }

            probe.Received(result.Message.Key, result.TopicPartitionOffset, result);
            _ = Task.Run(async () =>
            {
                try
                {
                    var order = JsonSerializer.Deserialize<Order>(result.Message.Value, Order.Json)!;
                    var receipt = await payments.ChargeAsync(order, idempotencyKey: null, CancellationToken.None);
                    _ = results.ProduceAsync(paymentsTopic, new Message<string, string> { Key = order.OrderId, Value = JsonSerializer.Serialize(receipt, Order.Json) });
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Could not charge order {OrderId}", result.Message.Key);
                }
                finally
                {
                    probe.Settled(result.TopicPartitionOffset);
                }
            });
        }
    }
}
