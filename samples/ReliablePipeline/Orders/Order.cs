using System.Text.Json;

namespace ReliablePipeline.Orders;

/// <summary>An order to charge, as the order service writes it to the <c>orders</c> topic (JSON).</summary>
/// <param name="OrderId">Unique order id; also the Kafka key.</param>
/// <param name="CustomerId">Who pays.</param>
/// <param name="Amount">How much.</param>
/// <param name="Currency">ISO 4217 code.</param>
public sealed record Order(string OrderId, string CustomerId, decimal Amount, string Currency)
{
    /// <summary>The JSON settings both pipelines write and read orders with.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
