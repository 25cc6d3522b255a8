using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Orders;

/// <summary>Copies order events to the audit log until the host stops.</summary>
public sealed class OrderAuditReader(IConfiguration configuration)
{
    /// <summary>Close after the loop is skipped when Consume throws OperationCanceledException at shutdown.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "order-audit" };
        using var consumer = new ConsumerBuilder<string, string>(config).Build(); // ⚠ KAFKA105
        consumer.Subscribe("orders");
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(cancellationToken);
            Console.WriteLine($"audit {result.Message.Key}: {result.Message.Value}");
        }

        consumer.Close();
    }
}
