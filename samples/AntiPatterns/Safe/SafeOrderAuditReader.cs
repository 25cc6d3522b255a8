using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Safe;

/// <summary>The official shape: Close in a finally, so cancellation leaves the group and commits too.</summary>
public sealed class SafeOrderAuditReader(IConfiguration configuration)
{
    public void Run(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "order-audit" };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("orders");
        try
        {
            while (true)
            {
                var result = consumer.Consume(cancellationToken);
                Console.WriteLine($"audit {result.Message.Key}: {result.Message.Value}");
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            consumer.Close();
        }
    }
}
