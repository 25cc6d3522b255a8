using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AntiPatterns.Safe;

/// <summary>The batch export done right: batches awaited together, one flush per batch, every failure counted.</summary>
public sealed class SafeCustomerExporter
{
    private readonly IProducer<string, string> _producer;
    private readonly ILogger<SafeCustomerExporter> _logger;

    public SafeCustomerExporter(IProducer<string, string> producer, ILogger<SafeCustomerExporter> logger)
    {
        _producer = producer;
        _logger = logger;
    }

    public async Task ExportCustomersAsync(IEnumerable<KeyValuePair<string, string>> customers, CancellationToken cancellationToken)
    {
        foreach (var batch in customers.Chunk(1000))
        {
            await Task.WhenAll(batch.Select(customer =>
                _producer.ProduceAsync("export.customers", new Message<string, string> { Key = customer.Key, Value = customer.Value }, cancellationToken)));
        }
    }

    public void ExportChanges(IReadOnlyList<string> changes)
    {
        foreach (var change in changes)
        {
            _producer.Produce("export.changes", new Message<string, string> { Value = change }, OnDelivered);
        }

        var remaining = _producer.Flush(TimeSpan.FromSeconds(30));
        if (remaining > 0)
        {
            _logger.LogError("{Count} changes were not exported in time", remaining);
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

/// <summary>The archive command done right: the producer is flushed on every way out, and what is left is reported.</summary>
public static class SafeArchiveCommand
{
    public static void Run(ProducerConfig config, IEnumerable<string> rows, Action<string> reportFailure)
    {
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        try
        {
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
        finally
        {
            var remaining = producer.Flush(TimeSpan.FromSeconds(30));
            if (remaining > 0)
            {
                reportFailure($"{remaining} rows were not archived");
            }
        }
    }
}
