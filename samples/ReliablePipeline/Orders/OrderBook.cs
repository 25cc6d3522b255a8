using System.Text;
using System.Text.Json;

namespace ReliablePipeline.Orders;

/// <summary>
/// The orders of one demo, generated from a seed so that every run publishes exactly the same bytes and the
/// gateway misbehaves on exactly the same orders.
/// </summary>
public sealed class OrderBook
{
    private const double PoisonShare = 0.015;
    private const double UnsupportedCurrencyShare = 0.01;
    private const double UnavailableOnFirstAttemptShare = 0.03;
    private const double TimesOutAfterChargingShare = 0.01;
    private static readonly string[] Currencies = ["EUR", "USD", "GBP"];

    private OrderBook(IReadOnlyList<OrderRecord> records, IReadOnlySet<string> unavailableOnFirstAttempt, IReadOnlySet<string> timesOutAfterCharging)
    {
        Records = records;
        UnavailableOnFirstAttempt = unavailableOnFirstAttempt;
        TimesOutAfterChargingOnFirstAttempt = timesOutAfterCharging;
    }

    /// <summary>The records, in publishing order.</summary>
    public IReadOnlyList<OrderRecord> Records { get; }

    /// <summary>Orders whose first charge attempt gets HTTP 503 before anything is charged.</summary>
    public IReadOnlySet<string> UnavailableOnFirstAttempt { get; }

    /// <summary>Orders whose first charge attempt is charged but its response times out.</summary>
    public IReadOnlySet<string> TimesOutAfterChargingOnFirstAttempt { get; }

    /// <summary>Generates <paramref name="count"/> orders from <paramref name="seed"/>.</summary>
    public static OrderBook Generate(int count, int seed)
    {
        var random = new Random(seed);
        var records = new List<OrderRecord>(count);
        var unavailable = new HashSet<string>();
        var timesOut = new HashSet<string>();
        for (var i = 1; i <= count; i++)
        {
            var id = $"order-{i:D5}";
            var order = new Order(id, $"customer-{random.Next(1, 500):D3}", Math.Round((decimal)(5 + (random.NextDouble() * 495)), 2), Currencies[random.Next(Currencies.Length)]);
            var roll = random.NextDouble();
            var record = roll switch
            {
                < PoisonShare / 2 => new OrderRecord(id, Truncated(order), RecordKind.BadJson),
                < PoisonShare => new OrderRecord(id, BinaryEncoded(random), RecordKind.Undeserializable),
                < PoisonShare + UnsupportedCurrencyShare => new OrderRecord(id, JsonSerializer.SerializeToUtf8Bytes(order with { Currency = "XTS" }, Order.Json), RecordKind.UnsupportedCurrency),
                _ => new OrderRecord(id, JsonSerializer.SerializeToUtf8Bytes(order, Order.Json), RecordKind.Valid),
            };
            records.Add(record);

            var gatewayRoll = random.NextDouble();
            if (gatewayRoll < UnavailableOnFirstAttemptShare)
            {
                unavailable.Add(id);
            }
            else if (gatewayRoll < UnavailableOnFirstAttemptShare + TimesOutAfterChargingShare)
            {
                timesOut.Add(id);
            }
        }

        return new OrderBook(records, unavailable, timesOut);
    }

    private static byte[] Truncated(Order order)
    {
        var json = JsonSerializer.Serialize(order, Order.Json);
        return Encoding.UTF8.GetBytes(json[..(json.Length * 2 / 3)]);
    }

    /// <summary>Schema-registry framing (magic byte 0, 4-byte schema id) followed by binary fields.</summary>
    private static byte[] BinaryEncoded(Random random)
    {
        var bytes = new byte[24];
        random.NextBytes(bytes);
        bytes[0] = 0;
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = 0;
        bytes[4] = 42;
        return bytes;
    }
}
