namespace ReliablePipeline.Orders;

/// <summary>What kind of record an order turns into on the topic.</summary>
public enum RecordKind
{
    /// <summary>Well-formed JSON of a valid order.</summary>
    Valid,

    /// <summary>Well-formed JSON of an order in a currency the payment gateway refuses (a permanent failure).</summary>
    UnsupportedCurrency,

    /// <summary>Truncated JSON, as a buggy client release sends it.</summary>
    BadJson,

    /// <summary>Bytes that are not JSON at all (a producer switched to a binary schema-registry format).</summary>
    Undeserializable,
}

/// <summary>One order the order service is asked to publish: its id (the Kafka key) and the exact value bytes.</summary>
/// <param name="OrderId">The Kafka key.</param>
/// <param name="Payload">The Kafka value.</param>
/// <param name="Kind">Whether the payload is valid, refused by the gateway, or poison.</param>
public sealed record OrderRecord(string OrderId, byte[] Payload, RecordKind Kind)
{
    /// <summary>Whether the consumer cannot even read the payload.</summary>
    public bool IsPoison => Kind is RecordKind.BadJson or RecordKind.Undeserializable;
}
