// Microsoft.Extensions.Hosting 9.0: the host runs each BackgroundService's ExecuteAsync synchronously until its first await.
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AntiPatterns.Hosting9.Safe;
using AntiPatterns.Hosting9.Shipping;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<IConsumer<string, string>>(_ => new ConsumerBuilder<string, string>(new ConsumerConfig
{
    BootstrapServers = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS"),
    GroupId = "shipments",
    EnableAutoOffsetStore = false,
}).Build());

// Registered first: with hosting 9 the hosted services after it start only once a shipment event arrives.
builder.Services.AddHostedService<ShipmentEventsWorker>();
builder.Services.AddHostedService<SafeShipmentEventsWorker>();
builder.Build().Run();
