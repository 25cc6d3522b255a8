using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Notifications;

/// <summary>Sends e-mails and push notifications.</summary>
public sealed class NotificationReader(IConfiguration configuration, IConsumer<string, string> pushConsumer)
{
    public void SendAll(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine(ReadNextEmail(cancellationToken));
        }
    }

    /// <summary>A fresh consumer for every e-mail: the group rebalances each time.</summary>
    private string ReadNextEmail(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "email" };
        using var consumer = new ConsumerBuilder<string, string>(config).Build(); // ⚠ KAFKA111
        consumer.Subscribe("emails");
        try
        {
            var result = consumer.Consume(cancellationToken);
            consumer.StoreOffset(result); // ⚠ KAFKA109
            return result.Message.Value;
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>Polls without waiting: a core at 100% whenever nobody is notified.</summary>
    public void PushAll(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = pushConsumer.Consume(TimeSpan.Zero); // ⚠ KAFKA112
            if (result == null)
            {
                continue;
            }

            Console.WriteLine(result.Message.Value);
        }
    }
}
