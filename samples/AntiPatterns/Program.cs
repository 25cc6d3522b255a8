using AntiPatterns.Billing;
using AntiPatterns.Export;
using AntiPatterns.Fulfilment;
using AntiPatterns.Inventory;
using AntiPatterns.Notifications;
using AntiPatterns.Orders;
using AntiPatterns.Payments;
using AntiPatterns.Safe;
using AntiPatterns.Security;
using AntiPatterns.Telemetry;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A typical Kafka service host. Run `dotnet build` to see KafkaAnalyzers' findings; this program is
// only built, never run against a cluster.
var builder = Host.CreateApplicationBuilder(args);

// One producer for the whole process, shared by every class that sends (see KAFKA008).
builder.Services.AddSingleton(services => new ProducerBuilder<string, string>(new ProducerConfig
{
    BootstrapServers = services.GetRequiredService<IConfiguration>()["Kafka:BootstrapServers"],
    EnableIdempotence = true,
}).Build());

builder.Services.AddSingleton<OrderEventsPublisher>();
builder.Services.AddSingleton<OrderApiController>();
builder.Services.AddSingleton<CustomerExporter>();
builder.Services.AddSingleton<PaymentPublisher>();
builder.Services.AddSingleton<PaymentProducerFactory>();
builder.Services.AddSingleton<TelemetryPublisher>();
builder.Services.AddSingleton<KafkaClientSettings>();
builder.Services.AddHostedService<InventoryProjectionService>();
builder.Services.AddSingleton(new CarrierClient(new HttpClient { BaseAddress = new Uri("https://carrier.example/") }));
builder.Services.AddHostedService<ShipmentDispatchService>();
builder.Services.AddSingleton<InvoiceStore>();
builder.Services.AddHostedService<InvoiceProjection>();
builder.Services.AddSingleton<LedgerSync>();
builder.Services.AddSingleton<TrackingConsumerFactory>();
builder.Services.AddSingleton(provider => provider.GetRequiredService<TrackingConsumerFactory>().Create());
builder.Services.AddSingleton<NotificationReader>();

builder.Services.AddSingleton<SafeOrderPublisher>();
builder.Services.AddSingleton<SafeOrderApiController>();
builder.Services.AddSingleton<SafeCustomerExporter>();
builder.Services.AddSingleton<SafePaymentPublisher>();
builder.Services.AddSingleton<SafeClientSettings>();
builder.Services.AddHostedService<SafeInventoryProjectionService>();
builder.Services.AddHostedService<SafeShipmentDispatchService>();
builder.Services.AddHostedService<ReliableShipmentService>();

if (args.Contains("--run"))
{
    await builder.Build().RunAsync();
}
