using System.Text.Json;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// Reads a JSON (UTF-8) key or value with System.Text.Json. Malformed JSON throws
/// <see cref="JsonException"/>, which the consumer dead-letters as a permanent failure.
/// A null payload (a tombstone) and the JSON literal <c>null</c> become <see langword="default"/>.
/// </summary>
/// <typeparam name="T">The type to read.</typeparam>
public sealed class SystemTextJsonDeserializer<T> : IDeserializer<T>
{
    private readonly JsonSerializerOptions? options;

    /// <summary>Creates the deserializer.</summary>
    /// <param name="options">Serializer options; <see langword="null"/> for System.Text.Json's defaults.</param>
    public SystemTextJsonDeserializer(JsonSerializerOptions? options = null) => this.options = options;

    /// <inheritdoc/>
    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull ? default! : JsonSerializer.Deserialize<T>(data, options)!;
}
