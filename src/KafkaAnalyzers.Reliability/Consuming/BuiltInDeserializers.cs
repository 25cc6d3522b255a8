using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>The deserializers Confluent.Kafka provides, picked by type.</summary>
internal static class BuiltInDeserializers
{
    public static IDeserializer<T> For<T>(string parameterName)
    {
        object? deserializer = typeof(T) switch
        {
            var t when t == typeof(string) => Deserializers.Utf8,
            var t when t == typeof(byte[]) => Deserializers.ByteArray,
            var t when t == typeof(int) => Deserializers.Int32,
            var t when t == typeof(long) => Deserializers.Int64,
            var t when t == typeof(float) => Deserializers.Single,
            var t when t == typeof(double) => Deserializers.Double,
            var t when t == typeof(Null) => Deserializers.Null,
            var t when t == typeof(Ignore) => Deserializers.Ignore,
            _ => null,
        };

        return deserializer as IDeserializer<T> ?? throw new ArgumentException(
            $"Confluent.Kafka has no built-in deserializer for {typeof(T).FullName}; pass {parameterName} " +
            $"(for JSON: new SystemTextJsonDeserializer<{typeof(T).Name}>()).",
            parameterName);
    }
}
