using AntiPatterns.Billing;
using AntiPatterns.Fulfilment;
using AntiPatterns.Inventory;
using AntiPatterns.Notifications;
using AntiPatterns.Orders;
using AntiPatterns.Payments;
using AntiPatterns.Safe;
using AntiPatterns.Security;
using AntiPatterns.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A typical Kafka service host. Run `dotnet build` to see KafkaAnalyzers' findings; this program is
// only built, never run against a cluster.
var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddSingleton<OrderEventsPublisher>();
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
builder.Services.AddSingleton<SafeClientSettings>();
builder.Services.AddHostedService<SafeInventoryProjectionService>();
builder.Services.AddHostedService<SafeShipmentDispatchService>();
builder.Services.AddHostedService<ReliableShipmentService>();

if (args.Contains("--run"))
{
    await builder.Build().RunAsync();
}
