using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaAnalyzers.Benchmarks;

/// <summary>Source sets to analyse: a generated Kafka-heavy service code base and the AntiPatterns sample.</summary>
internal static class Corpus
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static IReadOnlyList<SyntaxTree> Generated(int services)
    {
        var trees = new List<SyntaxTree> { Parse("GlobalUsings.cs", GlobalUsings) };
        for (var i = 0; i < services; i++)
        {
            trees.Add(Parse($"Services/Service{i}.cs", (i % 4) switch
            {
                0 => ProducerService(i),
                1 => ConsumerService(i),
                2 => DictionaryProducer(i),
                _ => PlainCode(i),
            }));
            trees.Add(Parse($"Models/Model{i}.cs", PlainCode(i + 100000)));
        }

        return trees;
    }

    public static IReadOnlyList<SyntaxTree> Sample(string directory)
        => Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Select(p => Parse(p, File.ReadAllText(p)))
            .Append(Parse("GlobalUsings.cs", GlobalUsings))
            .ToList();

    private static SyntaxTree Parse(string path, string text) => CSharpSyntaxTree.ParseText(text, ParseOptions, path, Encoding.UTF8);

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Confluent.Kafka;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private static string ProducerService(int i) => $$"""
        namespace Generated.Producers{{i}};

        public sealed class OrderPublisher{{i}} : IDisposable
        {
            private readonly ProducerConfig _config;
            private readonly IProducer<string, string> _producer;
            private readonly ILogger _logger;

            public OrderPublisher{{i}}(IConfiguration configuration, ILogger logger)
            {
                _logger = logger;
                _config = new ProducerConfig
                {
                    BootstrapServers = configuration["Kafka:Servers"],
                    Acks = {{(i % 8 == 0 ? "Acks.Leader" : "Acks.All")}},
                    EnableIdempotence = {{(i % 12 == 0 ? "false" : "true")}},
                    LingerMs = {{i % 20}},
                };
                _producer = new ProducerBuilder<string, string>(_config).Build();
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
                        if (report.Error.IsError)
                        {
                            _logger.LogError("failed {Reason}", report.Error.Reason);
                        }
                    });
                }
            }

            public void Dispose()
            {
                _producer.Flush(TimeSpan.FromSeconds(10));
                _producer.Dispose();
            }
        }
        """;

    private static string ConsumerService(int i) => $$"""
        namespace Generated.Consumers{{i}};

        public sealed class ProjectionService{{i}} : BackgroundService
        {
            private readonly IConfiguration _configuration;
            private readonly ILogger _logger;

            public ProjectionService{{i}}(IConfiguration configuration, ILogger logger)
            {
                _configuration = configuration;
                _logger = logger;
            }

            protected override Task ExecuteAsync(CancellationToken stoppingToken)
                => Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            private void Run(CancellationToken token)
            {
                var config = new ConsumerConfig
                {
                    BootstrapServers = _configuration["Kafka:Servers"],
                    GroupId = "projection-{{i}}",
                    EnableAutoOffsetStore = false,
                    SessionTimeoutMs = {{(i % 10 == 1 ? 6000 : 45000)}},
                    HeartbeatIntervalMs = 3000,
                };
                _configuration.GetSection("Kafka:Consumer").Bind(config);
                using var consumer = new ConsumerBuilder<string, string>(config).Build();
                consumer.Subscribe("events.{{i}}");
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        var result = consumer.Consume(token);
                        try
                        {
                            Handle(result.Message.Value);
                            consumer.StoreOffset(result);
                        }
                        catch (FormatException ex)
                        {
                            _logger.LogError(ex, "bad message at {Offset}", result.Offset);
                            throw;
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

            private void Handle(string value)
            {
                var parts = value.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
                _logger.LogDebug("{Count} parts", parts.Count);
            }
        }
        """;

    private static string DictionaryProducer(int i) => $$"""
        namespace Generated.Factories{{i}};

        public static class ProducerFactory{{i}}
        {
            public static IProducer<Null, byte[]> Create(IConfiguration configuration, bool fast)
            {
                var settings = new Dictionary<string, string>
                {
                    ["bootstrap.servers"] = configuration["Kafka:Servers"] ?? "localhost:9092",
                    ["enable.idempotence"] = "true",
                    ["acks"] = "all",
                    ["compression.type"] = "lz4",
                };
                if (fast)
                {
                    settings["linger.ms"] = "0";
                }

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
                SaslPassword = configuration["Kafka:Password"],
            };
        }
        """;

    private static string PlainCode(int i) => $$"""
        namespace Generated.Domain{{i}};

        public sealed record Order{{i}}(Guid Id, string Customer, decimal Amount, DateTimeOffset CreatedAt);

        public sealed class OrderBook{{i}}
        {
            private readonly Dictionary<Guid, Order{{i}}> _orders = new();
            private readonly object _gate = new();

            public void Add(Order{{i}} order)
            {
                lock (_gate)
                {
                    _orders[order.Id] = order;
                }
            }

            public IReadOnlyList<Order{{i}}> LargestFor(string customer, int count)
            {
                lock (_gate)
                {
                    return _orders.Values
                        .Where(o => string.Equals(o.Customer, customer, StringComparison.OrdinalIgnoreCase))
                        .OrderByDescending(o => o.Amount)
                        .ThenBy(o => o.CreatedAt)
                        .Take(count)
                        .ToList();
                }
            }

            public async Task<decimal> TotalAsync(Func<Order{{i}}, Task<bool>> filter, CancellationToken token)
            {
                decimal total = 0;
                foreach (var order in _orders.Values.ToArray())
                {
                    token.ThrowIfCancellationRequested();
                    if (await filter(order).ConfigureAwait(false))
                    {
                        total += order.Amount switch
                        {
                            < 0 => 0,
                            > 1_000_000 => 1_000_000,
                            var amount => amount,
                        };
                    }
                }

                return total;
            }
        }
        """;
}
