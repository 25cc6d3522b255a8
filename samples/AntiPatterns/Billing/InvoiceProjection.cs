using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AntiPatterns.Billing;

/// <summary>Writes invoices to the billing store. Commits "as early as possible" and never closes its consumer.</summary>
public sealed class InvoiceProjection(IConfiguration configuration, InvoiceStore store) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Project(stoppingToken), stoppingToken);

    private void Project(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "invoice-projection",
            EnableAutoCommit = false,
        };

        // Disposed without Close: no final commit, and the group waits a session timeout for this member.
        using var consumer = new ConsumerBuilder<string, string>(config).Build(); // ⚠ KAFKA105
        consumer.Subscribe("invoices");
        while (!stoppingToken.IsCancellationRequested)
        {
            var result = consumer.Consume(stoppingToken);
            consumer.Commit(result); // ⚠ KAFKA104
            store.Save(result.Message.Key, result.Message.Value);
        }
    }
}

/// <summary>The billing database.</summary>
public sealed class InvoiceStore
{
    private readonly Dictionary<string, string> _invoices = new();

    public void Save(string id, string invoice)
    {
        lock (_invoices)
        {
            _invoices[id] = invoice;
        }
    }
}
