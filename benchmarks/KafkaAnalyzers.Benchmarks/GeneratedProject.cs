using System.Text;

namespace KafkaAnalyzers.Benchmarks;

/// <summary>
/// A generated service code base of about <c>lines</c> lines in files of about 200 lines. A share of
/// the files uses Confluent.Kafka in the shapes the rules look at (producer services, consume loops,
/// dictionary and security configurations, DI registrations, wrappers, transactional and admin code,
/// partial types); the rest is ordinary service code that uses the same common member names as
/// Confluent.Kafka (Value, Key, Message, Count, Dispose, Flush, Commit, Close, Error...). Every Kafka
/// type carries ordinary members too, as real services do.
/// </summary>
internal static class GeneratedProject
{
    public const int LinesPerFile = 200;

    public static IReadOnlyList<(string Path, string Text)> Create(int lines, int kafkaPercent, bool referencesKafka)
    {
        var files = Math.Max(10, lines / LinesPerFile);
        var result = new List<(string, string)> { ("GlobalUsings.cs", GlobalUsings(referencesKafka)), ("Shared/Common.cs", Common) };
        var kafkaEvery = kafkaPercent <= 0 ? int.MaxValue : Math.Max(1, 100 / kafkaPercent);
        var kafkaIndex = 0;
        for (var i = 0; i < files; i++)
        {
            if (referencesKafka && i % kafkaEvery == kafkaEvery / 2)
            {
                foreach (var file in KafkaFile(i, kafkaIndex++))
                {
                    result.Add(file);
                }
            }
            else
            {
                result.Add(($"Domain/Area{i % 40}/File{i}.cs", OrdinaryFile(i)));
            }
        }

        return result;
    }

    private static string GlobalUsings(bool kafka) => """
        global using System;
        global using System.Collections.Generic;
        global using System.Globalization;
        global using System.IO;
        global using System.Linq;
        global using System.Text;
        global using System.Text.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """ + (kafka ? "\nglobal using Confluent.Kafka;\n" : "\n");

    private const string Common = """
        namespace Generated.Shared;

        public enum Status { Pending, Active, Suspended, Closed }

        public sealed record Error(string Code, string Message);

        public sealed class Result<T>
        {
            private Result(T? value, Error? error) { Value = value; Error = error; }
            public T? Value { get; }
            public Error? Error { get; }
            public bool IsError => Error is not null;
            public static Result<T> Ok(T value) => new(value, null);
            public static Result<T> Fail(string code, string message) => new(default, new Error(code, message));
        }

        public interface IUnitOfWork : IDisposable
        {
            void Commit();
            void Rollback();
        }

        public sealed class InMemoryUnitOfWork : IUnitOfWork
        {
            private readonly List<string> _log = new();
            public void Commit() => _log.Add("commit");
            public void Rollback() => _log.Add("rollback");
            public void Dispose() => _log.Clear();
        }

        public interface IClock { DateTimeOffset Now { get; } }
        """;

    // ---- Ordinary service code ---------------------------------------------------------------------

    private static string OrdinaryFile(int i)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"namespace Generated.Domain.Area{i % 40};");
        sb.AppendLine("using Generated.Shared;");
        sb.AppendLine();
        switch (i % 6)
        {
            case 0:
                sb.AppendLine($$"""
                    public sealed record Customer{{i}}(Guid Id, string Name, string Email, Status Status, decimal Balance);

                    public sealed class CustomerService{{i}}
                    {
                        private readonly Dictionary<Guid, Customer{{i}}> _customers = new();
                        private readonly ILogger _logger;
                        private readonly IClock _clock;

                        public CustomerService{{i}}(ILogger logger, IClock clock)
                        {
                            _logger = logger;
                            _clock = clock;
                        }

                        public Result<Customer{{i}}> Register(string name, string email)
                        {
                            if (string.IsNullOrWhiteSpace(name)) return Result<Customer{{i}}>.Fail("name", "Name is required");
                            if (!email.Contains('@')) return Result<Customer{{i}}>.Fail("email", $"'{email}' is not an address");
                            var customer = new Customer{{i}}(Guid.NewGuid(), name.Trim(), email.ToLowerInvariant(), Status.Pending, 0m);
                            _customers[customer.Id] = customer;
                            _logger.LogInformation("registered {Id} at {Now}", customer.Id, _clock.Now);
                            return Result<Customer{{i}}>.Ok(customer);
                        }

                        public IReadOnlyList<Customer{{i}}> Active() => _customers.Values.Where(c => c.Status == Status.Active).OrderBy(c => c.Name).ToList();
                    """);
                break;
            case 1:
                sb.AppendLine($$"""
                    public sealed class ReportWriter{{i}} : IDisposable
                    {
                        private readonly MemoryStream _stream = new();
                        private readonly StreamWriter _writer;
                        private int _count;

                        public ReportWriter{{i}}() => _writer = new StreamWriter(_stream, Encoding.UTF8, 4096, leaveOpen: true);

                        public void Write(IEnumerable<KeyValuePair<string, decimal>> rows)
                        {
                            foreach (var row in rows)
                            {
                                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Key};{row.Value:F2}"));
                                _count++;
                            }

                            _writer.Flush();
                        }

                        public int Count => _count;

                        public byte[] ToArray() { _writer.Flush(); return _stream.ToArray(); }

                        public void Dispose()
                        {
                            _writer.Close();
                            _stream.Dispose();
                        }
                    """);
                break;
            case 2:
                sb.AppendLine($$"""
                    public sealed class OrderWorkflow{{i}}
                    {
                        private readonly Func<IUnitOfWork> _unitOfWork;
                        private readonly ILogger _logger;

                        public OrderWorkflow{{i}}(Func<IUnitOfWork> unitOfWork, ILogger logger) { _unitOfWork = unitOfWork; _logger = logger; }

                        public bool Complete(Guid orderId, IReadOnlyCollection<decimal> lines)
                        {
                            using var work = _unitOfWork();
                            try
                            {
                                var total = lines.Sum();
                                if (total <= 0) throw new InvalidOperationException($"order {orderId} is empty");
                                work.Commit();
                                return true;
                            }
                            catch (InvalidOperationException ex)
                            {
                                _logger.LogWarning(ex, "could not complete {Order}: {Message}", orderId, ex.Message);
                                work.Rollback();
                                return false;
                            }
                        }
                    """);
                break;
            case 3:
                sb.AppendLine($$"""
                    public static class Mapping{{i}}
                    {
                        public sealed record Dto(string Id, string Kind, int Quantity, string? Note);

                        public static IReadOnlyDictionary<string, int> Totals(IEnumerable<Dto> items)
                            => items.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Sum(d => d.Quantity));

                        public static string Describe(Dto dto) => dto switch
                        {
                            { Quantity: 0 } => $"{dto.Id}: nothing",
                            { Note: { Length: > 0 } note } => $"{dto.Id}: {dto.Quantity} ({note})",
                            _ => $"{dto.Id}: {dto.Quantity}",
                        };

                        public static Dto? Parse(string json)
                        {
                            try { return JsonSerializer.Deserialize<Dto>(json); }
                            catch (JsonException ex) { Console.Error.WriteLine(ex.Message); return null; }
                        }
                    """);
                break;
            case 4:
                sb.AppendLine($$"""
                    public sealed class CleanupJob{{i}} : BackgroundService
                    {
                        private readonly ILogger _logger;
                        private readonly Dictionary<string, string> _settings = new() { ["mode"] = "fast", ["batch"] = "100" };

                        public CleanupJob{{i}}(ILogger logger) => _logger = logger;

                        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                        {
                            while (!stoppingToken.IsCancellationRequested)
                            {
                                try
                                {
                                    var removed = await RunOnceAsync(int.Parse(_settings["batch"], CultureInfo.InvariantCulture), stoppingToken);
                                    _logger.LogDebug("removed {Count}", removed);
                                    await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
                                }
                                catch (OperationCanceledException) { break; }
                                catch (Exception ex) { _logger.LogError(ex, "cleanup failed: {Message}", ex.Message); }
                            }
                        }

                        private static Task<int> RunOnceAsync(int batch, CancellationToken token) => Task.FromResult(batch / 2);
                    """);
                break;
            default:
                sb.AppendLine($$"""
                    public sealed class Registration{{i}}
                    {
                        public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
                        {
                            var section = configuration.GetSection("Area{{i % 40}}");
                            services.AddSingleton<IClock, SystemClock{{i}}>();
                            services.AddSingleton(new Options{{i}} { Name = section["Name"] ?? "default", Retries = 3 });
                            return services;
                        }

                        public sealed class Options{{i}} { public string Name { get; set; } = ""; public int Retries { get; set; } }

                        private sealed class SystemClock{{i}} : IClock { public DateTimeOffset Now => DateTimeOffset.UtcNow; }
                    """);
                break;
        }

        AppendFiller(sb, i, 150);
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Ordinary members appended to a class until the file reaches about <paramref name="lines"/> more lines.</summary>
    private static void AppendFiller(StringBuilder sb, int seed, int lines)
    {
        var start = sb.ToString().Split('\n').Length;
        for (var j = 0; sb.ToString().Split('\n').Length - start < lines; j++)
        {
            sb.AppendLine();
            sb.AppendLine(Filler((seed + j) % 8, j));
        }
    }

    private static string Filler(int kind, int j) => kind switch
    {
        0 => $$"""
                private static Dictionary<string, decimal> Totals{{j}}(IEnumerable<(string Key, decimal Value)> rows)
                {
                    var totals = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
                    foreach (var group in rows.GroupBy(r => r.Key))
                    {
                        totals[group.Key] = group.Sum(r => r.Value);
                    }

                    return totals.Where(p => p.Value != 0).OrderByDescending(p => p.Value).Take(10).ToDictionary(p => p.Key, p => p.Value);
                }
            """,
        1 => $$"""
                private static int[] ParseNumbers{{j}}(string text)
                {
                    var numbers = new List<int>();
                    foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        try { numbers.Add(int.Parse(part, NumberStyles.Integer, CultureInfo.InvariantCulture)); }
                        catch (FormatException ex) { Console.Error.WriteLine($"{part}: {ex.Message}"); }
                    }

                    return numbers.Count == 0 ? Array.Empty<int>() : numbers.ToArray();
                }
            """,
        2 => $$"""
                private static async Task<byte[]> Serialize{{j}}(object value, CancellationToken token)
                {
                    using var stream = new MemoryStream();
                    await JsonSerializer.SerializeAsync(stream, value, cancellationToken: token).ConfigureAwait(false);
                    await stream.FlushAsync(token).ConfigureAwait(false);
                    stream.Flush();
                    return stream.ToArray();
                }
            """,
        3 => $$"""
                private static string Describe{{j}}(Status status, int count) => (status, count) switch
                {
                    (Status.Pending, 0) => "nothing pending",
                    (Status.Pending, var n) => $"{n} pending",
                    (Status.Active, > 100) => "busy",
                    (Status.Active, _) => "active",
                    (Status.Suspended or Status.Closed, _) => status.ToString().ToLowerInvariant(),
                    _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
                };
            """,
        4 => $$"""
                private static IReadOnlyDictionary<string, string> Headers{{j}}(IDictionary<string, string> source, string prefix)
                {
                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var pair in source)
                    {
                        if (pair.Key.StartsWith(prefix, StringComparison.Ordinal) && pair.Value is { Length: > 0 } value)
                        {
                            headers[pair.Key.Substring(prefix.Length)] = value.Trim();
                        }
                    }

                    return headers;
                }
            """,
        5 => $$"""
                private static string Csv{{j}}(IReadOnlyList<(string Name, int Count, DateTimeOffset Timestamp)> rows)
                {
                    var builder = new StringBuilder();
                    builder.AppendLine("name;count;timestamp");
                    for (var k = 0; k < rows.Count; k++)
                    {
                        var (name, count, timestamp) = rows[k];
                        builder.Append(name.Replace(";", ",", StringComparison.Ordinal)).Append(';').Append(count).Append(';').AppendLine(timestamp.ToString("O", CultureInfo.InvariantCulture));
                    }

                    return builder.ToString();
                }
            """,
        6 => $$"""
                private static Result<int> Validate{{j}}(string? input, int max)
                {
                    if (input is null) return Result<int>.Fail("null", "input is missing");
                    if (!int.TryParse(input, out var value)) return Result<int>.Fail("format", $"'{input}' is not a number");
                    var result = value > max ? Result<int>.Fail("range", $"{value} > {max}") : Result<int>.Ok(value);
                    if (result.IsError) Console.Error.WriteLine(result.Error!.Message);
                    return result;
                }
            """,
        _ => $$"""
                private static IEnumerable<T> Batches{{j}}<T>(IEnumerable<T> source, int size, Func<T, bool> keep)
                {
                    var count = 0;
                    foreach (var item in source)
                    {
                        if (!keep(item)) continue;
                        if (++count > size) yield break;
                        yield return item;
                    }

                    if (Never(count)) yield break;
                    static bool Never(int seen) => seen < 0;
                }
            """,
    };

    // ---- Kafka code, in the shapes the rules look at -----------------------------------------------

    private static IEnumerable<(string Path, string Text)> KafkaFile(int i, int k)
    {
        var path = $"Messaging/Kafka{k % 10}/File{i}.cs";
        var sb = new StringBuilder();
        sb.AppendLine($"namespace Generated.Messaging.Kafka{k % 10};");
        sb.AppendLine("using Generated.Shared;");
        sb.AppendLine();
        switch (k % 10)
        {
            case 0:
                sb.AppendLine($$"""
                    public sealed class OrderPublisher{{i}} : IDisposable
                    {
                        private readonly IProducer<string, string> _producer;
                        private readonly ILogger _logger;

                        public OrderPublisher{{i}}(IConfiguration configuration, ILogger logger)
                        {
                            _logger = logger;
                            var config = new ProducerConfig
                            {
                                BootstrapServers = configuration["Kafka:Servers"],
                                Acks = {{(k % 20 == 0 ? "Acks.Leader" : "Acks.All")}},
                                EnableIdempotence = {{(k % 30 == 0 ? "false" : "true")}},
                                LingerMs = {{k % 20}},
                                MessageTimeoutMs = {{(k % 40 == 0 ? 5000 : 120000)}},
                            };
                            _producer = new ProducerBuilder<string, string>(config).Build();
                        }

                        public async Task PublishAsync(string key, string value, CancellationToken token)
                        {
                            var result = await _producer.ProduceAsync("orders.{{i}}", new Message<string, string> { Key = key, Value = value }, token);
                            _logger.LogInformation("delivered {Offset}", result.Offset.Value);
                        }

                        public void PublishMany(IEnumerable<(string Key, string Value)> items)
                        {
                            foreach (var (key, value) in items)
                            {
                                _producer.Produce("orders.{{i}}", new Message<string, string> { Key = key, Value = value }, report =>
                                {
                                    if (report.Error.IsError) _logger.LogError("failed {Reason}", report.Error.Reason);
                                });
                            }
                        }

                        public void Dispose()
                        {
                            _producer.Flush(TimeSpan.FromSeconds(10));
                            _producer.Dispose();
                        }
                    """);
                break;
            case 1:
                sb.AppendLine($$"""
                    public sealed class ProjectionWorker{{i}} : BackgroundService
                    {
                        private readonly IConfiguration _configuration;
                        private readonly ILogger _logger;

                        public ProjectionWorker{{i}}(IConfiguration configuration, ILogger logger) { _configuration = configuration; _logger = logger; }

                        protected override Task ExecuteAsync(CancellationToken stoppingToken)
                            => Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                        private void Run(CancellationToken token)
                        {
                            var config = new ConsumerConfig
                            {
                                BootstrapServers = _configuration["Kafka:Servers"],
                                GroupId = "projection-{{i}}",
                                EnableAutoOffsetStore = false,
                                SessionTimeoutMs = {{(k % 20 == 1 ? 6000 : 45000)}},
                                HeartbeatIntervalMs = 3000,
                            };
                            using var consumer = new ConsumerBuilder<string, string>(config).Build();
                            consumer.Subscribe("events.{{i}}");
                            try
                            {
                                while (!token.IsCancellationRequested)
                                {
                                    var result = consumer.Consume(token);
                                    try
                                    {
                                        Handle(result.Message.Key, result.Message.Value);
                                        consumer.StoreOffset(result);
                                    }
                                    catch (FormatException ex)
                                    {
                                        _logger.LogError(ex, "bad message at {Offset}: {Message}", result.Offset, ex.Message);
                                    }
                                    catch (ConsumeException ex) when (!ex.Error.IsFatal)
                                    {
                                        _logger.LogWarning("consume error {Reason}", ex.Error.Reason);
                                    }
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

                        private void Handle(string key, string value)
                        {
                            var parts = value.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
                            _logger.LogDebug("{Key}: {Count} parts", key, parts.Count);
                        }
                    """);
                break;
            case 2:
                sb.AppendLine($$"""
                    public static class ClientFactory{{i}}
                    {
                        public static IProducer<Null, byte[]> CreateProducer(IConfiguration configuration, bool fast)
                        {
                            var settings = new Dictionary<string, string>
                            {
                                ["bootstrap.servers"] = configuration["Kafka:Servers"] ?? "localhost:9092",
                                ["enable.idempotence"] = "true",
                                ["acks"] = "all",
                                ["{{(k % 20 == 2 ? "compresion.type" : "compression.type")}}"] = "lz4",
                            };
                            if (fast) settings["linger.ms"] = "0";
                            foreach (var pair in configuration.GetSection("Kafka:Overrides").GetChildren())
                            {
                                settings[pair.Key] = pair.Value ?? string.Empty;
                            }

                            return new ProducerBuilder<Null, byte[]>(settings).Build();
                        }

                        public static ClientConfig Security(IConfiguration configuration) => new()
                        {
                            SecurityProtocol = SecurityProtocol.SaslSsl,
                            SaslMechanism = SaslMechanism.ScramSha512,
                            SaslUsername = configuration["Kafka:User"],
                            SaslPassword = {{(k % 20 == 2 ? "\"hunter2\"" : "configuration[\"Kafka:Password\"]")}},
                        };

                        public static ConsumerConfig Consumer(ClientConfig security, string group)
                        {
                            var config = new ConsumerConfig(security) { GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest };
                            config.Set("fetch.wait.max.ms", "100");
                            return config;
                        }
                    """);
                break;
            case 3:
                sb.AppendLine($$"""
                    public static class KafkaRegistration{{i}}
                    {
                        public static IServiceCollection AddKafka(IServiceCollection services, IConfiguration configuration)
                        {
                            var config = new ProducerConfig { BootstrapServers = configuration["Kafka:Servers"], EnableIdempotence = true, Acks = Acks.All };
                            configuration.GetSection("Kafka:Producer").Bind(config);
                            services.AddSingleton<IProducer<string, string>>(_ => new ProducerBuilder<string, string>(config).Build());
                            services.AddSingleton<EventSink{{i}}>();
                            return services;
                        }
                    }

                    public sealed class EventSink{{i}}
                    {
                        private readonly IProducer<string, string> _producer;
                        private readonly ILogger<EventSink{{i}}> _logger;

                        public EventSink{{i}}(IProducer<string, string> producer, ILogger<EventSink{{i}}> logger) { _producer = producer; _logger = logger; }

                        public void Send(string topic, string key, string value)
                        {
                            {{(k % 20 == 3 ? "_producer.Produce(topic, new Message<string, string> { Key = key, Value = value });" : "_producer.Produce(topic, new Message<string, string> { Key = key, Value = value }, r => { if (r.Error.IsError) _logger.LogError(\"{Reason}\", r.Error.Reason); });")}}
                        }

                        public Task SendAsync(string topic, string key, string value)
                            => _producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value });

                        public void FireAndForget(string topic, string value)
                        {
                            {{(k % 20 == 3 ? "_ = _producer.ProduceAsync(topic, new Message<string, string> { Value = value });" : "_producer.Produce(topic, new Message<string, string> { Value = value }, r => _logger.LogDebug(\"{Status}\", r.Status));")}}
                        }
                    """);
                break;
            case 4:
                sb.AppendLine($$"""
                    public sealed class BulkExporter{{i}}
                    {
                        private readonly ProducerConfig _config;
                        private readonly ILogger _logger;

                        public BulkExporter{{i}}(IConfiguration configuration, ILogger logger)
                        {
                            _logger = logger;
                            _config = new ProducerConfig { BootstrapServers = configuration["Kafka:Servers"], EnableIdempotence = true, LingerMs = 20 };
                        }

                        public async Task ExportAsync(IReadOnlyList<string> rows, CancellationToken token)
                        {
                            using var producer = new ProducerBuilder<Null, string>(_config).Build();
                            foreach (var row in rows)
                            {
                                {{(k % 20 == 4 ? "await producer.ProduceAsync(\"export.rows\", new Message<Null, string> { Value = row }, token);" : "producer.Produce(\"export.rows\", new Message<Null, string> { Value = row }, r => { if (r.Error.IsError) _logger.LogError(\"{Reason}\", r.Error.Reason); });")}}
                            }

                            var remaining = producer.Flush(TimeSpan.FromSeconds(30));
                            if (remaining > 0) throw new TimeoutException($"{remaining} rows not delivered");
                            await Task.CompletedTask;
                        }
                    """);
                break;
            case 5:
                sb.AppendLine($$"""
                    public sealed class LedgerConsumer{{i}}
                    {
                        private readonly IConsumer<string, string> _consumer;
                        private readonly ILogger _logger;

                        public LedgerConsumer{{i}}(IConfiguration configuration, ILogger logger)
                        {
                            _logger = logger;
                            var config = new ConsumerConfig
                            {
                                BootstrapServers = configuration["Kafka:Servers"],
                                GroupId = "ledger-{{i}}",
                                EnableAutoCommit = false,
                                MaxPollIntervalMs = 300000,
                            };
                            _consumer = new ConsumerBuilder<string, string>(config).Build();
                            _consumer.Subscribe(new[] { "ledger.{{i}}", "ledger.{{i}}.retry" });
                        }

                        public void Poll(CancellationToken token)
                        {
                            while (!token.IsCancellationRequested)
                            {
                                var result = _consumer.Consume(TimeSpan.FromMilliseconds(500));
                                if (result is null) continue;
                                {{(k % 20 == 5 ? "Task.Run(() => Apply(result.Message.Value));" : "Apply(result.Message.Value);")}}
                                _consumer.Commit(result);
                            }
                        }

                        public void Rewind(string topic, int partition, long offset) => _consumer.Seek(new TopicPartitionOffset(topic, partition, offset));

                        public void Stop()
                        {
                            _consumer.Close();
                            _consumer.Dispose();
                        }

                        private void Apply(string value) => _logger.LogInformation("{Length}", value.Length);
                    """);
                break;
            case 6:
                sb.AppendLine($$"""
                    public sealed class TransferProcessor{{i}} : IDisposable
                    {
                        private readonly IProducer<string, string> _producer;
                        private readonly IConsumer<string, string> _consumer;

                        public TransferProcessor{{i}}(string servers)
                        {
                            _producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = servers, TransactionalId = "transfers-{{i}}", EnableIdempotence = true }).Build();
                            _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = servers, GroupId = "transfers", EnableAutoCommit = false, IsolationLevel = IsolationLevel.ReadCommitted }).Build();
                            _producer.InitTransactions(TimeSpan.FromSeconds(30));
                            _consumer.Subscribe("transfers.requested");
                        }

                        public void ProcessBatch(CancellationToken token)
                        {
                            _producer.BeginTransaction();
                            var offsets = new List<TopicPartitionOffset>();
                            for (var n = 0; n < 100; n++)
                            {
                                var result = _consumer.Consume(token);
                                _producer.Produce("transfers.completed", new Message<string, string> { Key = result.Message.Key, Value = result.Message.Value.ToUpperInvariant() });
                                offsets.Add(new TopicPartitionOffset(result.TopicPartition, result.Offset + 1));
                            }

                            _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                            _producer.CommitTransaction();
                        }

                        public void Dispose()
                        {
                            _consumer.Close();
                            _consumer.Dispose();
                            _producer.Dispose();
                        }
                    """);
                break;
            case 7:
                sb.AppendLine($$"""
                    public sealed class TopicProvisioner{{i}}
                    {
                        private readonly AdminClientConfig _config;

                        public TopicProvisioner{{i}}(IConfiguration configuration)
                            => _config = new AdminClientConfig { BootstrapServers = configuration["Kafka:Servers"], SecurityProtocol = SecurityProtocol.Ssl };

                        public async Task EnsureAsync(IEnumerable<string> topics)
                        {
                            using var admin = new AdminClientBuilder(_config).Build();
                            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
                            var missing = topics.Where(t => metadata.Topics.All(m => m.Topic != t)).ToList();
                            if (missing.Count > 0)
                            {
                                await admin.CreateTopicsAsync(missing.Select(t => new Confluent.Kafka.Admin.TopicSpecification { Name = t, NumPartitions = 6, ReplicationFactor = 3 }));
                            }
                        }
                    """);
                break;
            case 8:
                // A partial type: the Kafka half and an ordinary half in another file.
                sb.AppendLine($$"""
                    public sealed partial class AuditTrail{{i}}
                    {
                        private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(new ProducerConfig
                        {
                            BootstrapServers = "kafka:9092",
                            {{(k % 20 == 8 ? "EnableSslCertificateVerification = false," : "EnableSslCertificateVerification = true,")}}
                            SecurityProtocol = SecurityProtocol.Ssl,
                        }).Build();

                        public void Record(string user, string action)
                            => _producer.Produce("audit", new Message<string, string> { Key = user, Value = action }, r =>
                            {
                                if (r.Error.IsError) Console.Error.WriteLine(r.Error.Reason);
                            });
                    """);
                AppendFiller(sb, i, 60);
                sb.AppendLine("}");
                yield return (path, sb.ToString());
                var other = new StringBuilder();
                other.AppendLine($"namespace Generated.Messaging.Kafka{k % 10};");
                other.AppendLine("using Generated.Shared;");
                other.AppendLine();
                other.AppendLine($"public sealed partial class AuditTrail{i}");
                other.AppendLine("{");
                AppendFiller(other, i + 3, 100);
                other.AppendLine("}");
                yield return ($"Messaging/Kafka{k % 10}/File{i}.Ordinary.cs", other.ToString());
                yield break;
            default:
                sb.AppendLine($$"""
                    public sealed class KafkaOptions{{i}}
                    {
                        public ProducerConfig Producer { get; set; } = new() { Acks = Acks.All, EnableIdempotence = true };
                        public ConsumerConfig Consumer { get; set; } = new() { GroupId = "options-{{i}}", EnableAutoOffsetStore = false };
                    }

                    public sealed class OptionsConsumer{{i}} : IDisposable
                    {
                        private readonly IConsumer<Ignore, string> _consumer;
                        private readonly ILogger _logger;

                        public OptionsConsumer{{i}}(KafkaOptions{{i}} options, ILogger logger)
                        {
                            _logger = logger;
                            _consumer = new ConsumerBuilder<Ignore, string>(options.Consumer)
                                .SetErrorHandler((_, e) => _logger.LogError("{Reason}", e.Reason))
                                .SetPartitionsAssignedHandler((c, parts) => _logger.LogInformation("{Count} partitions", parts.Count))
                                .Build();
                        }

                        public string? Next(CancellationToken token)
                        {
                            var result = _consumer.Consume(token);
                            _consumer.StoreOffset(result);
                            return result.Message.Value;
                        }

                        public void Dispose()
                        {
                            _consumer.Close();
                            _consumer.Dispose();
                        }
                    """);
                break;
        }

        AppendFiller(sb, i, 120);
        sb.AppendLine("}");
        yield return (path, sb.ToString());
    }
}
