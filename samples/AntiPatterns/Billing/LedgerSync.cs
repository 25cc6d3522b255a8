using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace AntiPatterns.Billing;

/// <summary>Mirrors ledger entries into the reporting database.</summary>
public sealed class LedgerSync(IConfiguration configuration, InvoiceStore store)
{
    /// <summary>Turned auto-commit off "to commit after each entry", then never did: every restart replays the whole ledger.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = configuration["Kafka:BootstrapServers"],
            GroupId = "ledger-sync",
            EnableAutoCommit = false, // ⚠ KAFKA106
            EnableAutoOffsetStore = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("ledger");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(cancellationToken);
                store.Save(result.Message.Key, result.Message.Value);
                consumer.StoreOffset(result);
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>A nightly check that "commits what it read" — while auto-commit is still on.</summary>
    public void Reconcile(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"], GroupId = "ledger-reconcile" };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("ledger");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(cancellationToken);
                store.Save(result.Message.Key, result.Message.Value);
                consumer.Commit(result); // ⚠ KAFKA113
            }
        }
        finally
        {
            consumer.Close();
        }
    }
}
