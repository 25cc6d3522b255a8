namespace KafkaAnalyzers.PackageTests;

/// <summary>Program.cs contents for consumer projects.</summary>
internal static class ConsumerSources
{
    /// <summary>A payments producer that acknowledges on the leader only (KAFKA001).</summary>
    public const string WeakAcksProducer = """
        using Confluent.Kafka;

        var config = new ProducerConfig
        {
            BootstrapServers = "localhost:9092",
            Acks = Acks.Leader,
        };

        using var producer = new ProducerBuilder<string, string>(config).Build();
        await producer.ProduceAsync("payments", new Message<string, string> { Key = "order-1", Value = "42.00" });
        producer.Flush(TimeSpan.FromSeconds(10));

        """;
}
