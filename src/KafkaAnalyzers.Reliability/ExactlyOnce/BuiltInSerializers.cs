using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>The serializers Confluent.Kafka provides, picked by type.</summary>
internal static class BuiltInSerializers
{
    public static ISerializer<T> For<T>(string parameterName)
    {
        object? serializer = typeof(T) switch
        {
            var t when t == typeof(string) => Serializers.Utf8,
            var t when t == typeof(byte[]) => Serializers.ByteArray,
            var t when t == typeof(int) => Serializers.Int32,
            var t when t == typeof(long) => Serializers.Int64,
            var t when t == typeof(float) => Serializers.Single,
            var t when t == typeof(double) => Serializers.Double,
            var t when t == typeof(Null) => Serializers.Null,
            _ => null,
        };

        return serializer as ISerializer<T> ?? throw new ArgumentException(
            $"Confluent.Kafka has no built-in serializer for {typeof(T).FullName}; pass {parameterName}.", parameterName);
    }
}
