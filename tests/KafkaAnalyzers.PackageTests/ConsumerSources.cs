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

    /// <summary>
    /// A payments publisher and an orders worker as a service writes them, with four mistakes: weak
    /// acks (KAFKA001, and no idempotence: KAFKA002), a <c>Produce</c> without a delivery handler
    /// (KAFKA004), a loop that awaits each <c>ProduceAsync</c> (KAFKA010, a suggestion: Info by default)
    /// and a consume loop whose catch only logs (KAFKA103). Marked <c>{|ID:...|}</c> where
    /// each rule must report, and nothing else may (the SARIF and editor tests read the marks); every
    /// other rule is shown by the samples (SampleSarifTests, SampleLanguageServerTests).
    /// </summary>
    public const string FlaggedService = """
        using Confluent.Kafka;

        using var payments = new PaymentsPublisher();
        payments.Publish("order-1", "42.00");

        public sealed class PaymentsPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public PaymentsPublisher()
            {
                var config = {|KAFKA002:new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    {|KAFKA001:Acks = Acks.Leader|},
                }|};
                _producer = new ProducerBuilder<string, string>(config).Build();
            }

            public void Publish(string paymentId, string amount)
                => {|KAFKA004:_producer.Produce("payments", new Message<string, string> { Key = paymentId, Value = amount })|};

            public async Task PublishAllAsync(IReadOnlyDictionary<string, string> amounts)
            {
                foreach (var (paymentId, amount) in amounts)
                {
                    {|KAFKA010:await _producer.ProduceAsync("payments", new Message<string, string> { Key = paymentId, Value = amount })|};
                }
            }

            public void Dispose()
            {
                var undelivered = _producer.Flush(TimeSpan.FromSeconds(10));
                if (undelivered > 0)
                {
                    Console.Error.WriteLine($"{undelivered} payments were not delivered");
                }

                _producer.Dispose();
            }
        }

        public static class OrdersWorker
        {
            public static void Run(IConsumer<string, string> consumer, CancellationToken cancellationToken)
            {
                consumer.Subscribe("orders");
                while (!cancellationToken.IsCancellationRequested)
                {
                    var result = consumer.Consume(cancellationToken);
                    try
                    {
                        Handle(result.Message.Value);
                        consumer.StoreOffset(result);
                    }
                    {|KAFKA103:catch (FormatException ex)|}
                    {
                        Console.Error.WriteLine($"order {result.Message.Key} failed: {ex.Message}");
                    }
                }
            }

            private static void Handle(string order) => _ = decimal.Parse(order, System.Globalization.CultureInfo.InvariantCulture);
        }

        """;

    /// <summary>
    /// <see cref="FlaggedService"/> in its safe form: acks all with idempotence, a delivery handler that
    /// reads the error, and a catch that rethrows (the offset of a failed order is never stored).
    /// </summary>
    public const string SafeService = """
        using Confluent.Kafka;

        using var payments = new PaymentsPublisher();
        payments.Publish("order-1", "42.00");

        public sealed class PaymentsPublisher : IDisposable
        {
            private readonly IProducer<string, string> _producer;

            public PaymentsPublisher()
            {
                var config = new ProducerConfig
                {
                    BootstrapServers = "localhost:9092",
                    Acks = Acks.All,
                    EnableIdempotence = true,
                };
                _producer = new ProducerBuilder<string, string>(config).Build();
            }

            public void Publish(string paymentId, string amount)
                => _producer.Produce(
                    "payments",
                    new Message<string, string> { Key = paymentId, Value = amount },
                    report =>
                    {
                        if (report.Error.IsError)
                        {
                            Console.Error.WriteLine($"payment {report.Message.Key} was not delivered: {report.Error.Reason}");
                        }
                    });

            public void Dispose()
            {
                var undelivered = _producer.Flush(TimeSpan.FromSeconds(10));
                if (undelivered > 0)
                {
                    Console.Error.WriteLine($"{undelivered} payments were not delivered");
                }

                _producer.Dispose();
            }
        }

        public static class OrdersWorker
        {
            public static void Run(IConsumer<string, string> consumer, CancellationToken cancellationToken)
            {
                consumer.Subscribe("orders");
                while (!cancellationToken.IsCancellationRequested)
                {
                    var result = consumer.Consume(cancellationToken);
                    try
                    {
                        Handle(result.Message.Value);
                        consumer.StoreOffset(result);
                    }
                    catch (FormatException ex)
                    {
                        Console.Error.WriteLine($"order {result.Message.Key} failed: {ex.Message}");
                        throw;
                    }
                }
            }

            private static void Handle(string order) => _ = decimal.Parse(order, System.Globalization.CultureInfo.InvariantCulture);
        }

        """;
}
