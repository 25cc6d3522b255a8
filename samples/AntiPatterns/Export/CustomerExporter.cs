using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Export;

/// <summary>The nightly batch export of customers and their changes to downstream systems.</summary>
public sealed class CustomerExporter
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<CustomerExporter> _logger;

    public CustomerExporter(IProducer<string, string> producer, ILogger<CustomerExporter> logger)
    {
        _producer = producer;
        _logger = logger;
    }

    public async Task ExportCustomersAsync(IEnumerable<KeyValuePair<string, string>> customers, CancellationToken cancellationToken)
    {
        foreach (var customer in customers)
        {
            // KAFKA010: one broker round-trip (and one linger.ms) per customer; the export takes hours.
            await _producer.ProduceAsync("export.customers", new Message<string, string> { Key = customer.Key, Value = customer.Value }, cancellationToken);
        }
    }

    public void ExportChanges(IReadOnlyList<string> changes)
    {
        foreach (var change in changes)
        {
            _producer.Produce("export.changes", new Message<string, string> { Value = change }, OnDelivered);
            // KAFKA011: "to make sure it is sent": waits for the broker after every single change.
            _producer.Flush(TimeSpan.FromSeconds(10));
        }
    }

    private void OnDelivered(DeliveryReport<string, string> report)
    {
        if (report.Error.IsError)
        {
            _logger.LogError("Change not exported: {Reason}", report.Error.Reason);
        }
    }
}

/// <summary>The archive command of the admin tool: copies rows into the archive topic.</summary>
public static class ArchiveCommand
{
    public static void Run(ProducerConfig config, IEnumerable<string> rows, Action<string> reportFailure)
    {
        // KAFKA007: the rows still in librdkafka's queue when the method returns are dropped with the producer.
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        foreach (var row in rows)
        {
            producer.Produce("archive.rows", new Message<Null, string> { Value = row }, report =>
            {
                if (report.Error.IsError)
                {
                    reportFailure(report.Error.Reason);
                }
            });
        }
    }
}
