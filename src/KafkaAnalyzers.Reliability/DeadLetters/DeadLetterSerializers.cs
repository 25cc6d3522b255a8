using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.DeadLetters;

/// <summary>
/// Turns a typed consumed key or value back into bytes for a dead letter. A serializer added here wins;
/// otherwise Confluent's built-in serializers cover <see cref="string"/> (UTF-8), <see cref="byte"/>[],
/// <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> and <see cref="Null"/>.
/// <see cref="Ignore"/> gives null bytes (an ignored component was never read, so there is nothing to
/// keep). Any other type without a serializer fails the publish with an <see cref="InvalidOperationException"/>
/// that says what to add. Serializers run with the original topic in their <see cref="SerializationContext"/>,
/// so schema-registry serializers reproduce the original subject's bytes.
/// </summary>
public sealed class DeadLetterSerializers
{
    private readonly Dictionary<Type, object> serializers = [];

    /// <summary>Uses <paramref name="serializer"/> for every <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The consumed key or value type.</typeparam>
    /// <param name="serializer">A synchronous serializer.</param>
    /// <returns>This instance, for chaining.</returns>
    public DeadLetterSerializers Add<T>(ISerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        serializers[typeof(T)] = serializer;
        return this;
    }

    /// <summary>Uses <paramref name="serializer"/> for every <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The consumed key or value type.</typeparam>
    /// <param name="serializer">An asynchronous serializer (e.g. a schema-registry one).</param>
    /// <returns>This instance, for chaining.</returns>
    public DeadLetterSerializers Add<T>(IAsyncSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        serializers[typeof(T)] = serializer;
        return this;
    }

    internal async ValueTask<byte[]?> SerializeAsync<T>(T data, SerializationContext context)
    {
        if (serializers.TryGetValue(typeof(T), out var registered))
        {
            return registered is ISerializer<T> sync
                ? sync.Serialize(data, context)
                : await ((IAsyncSerializer<T>)registered).SerializeAsync(data, context).ConfigureAwait(false);
        }

        if (typeof(T) == typeof(Ignore))
        {
            return null;
        }

        object? builtIn = typeof(T) switch
        {
            var t when t == typeof(byte[]) => Serializers.ByteArray,
            var t when t == typeof(string) => Serializers.Utf8,
            var t when t == typeof(int) => Serializers.Int32,
            var t when t == typeof(long) => Serializers.Int64,
            var t when t == typeof(float) => Serializers.Single,
            var t when t == typeof(double) => Serializers.Double,
            var t when t == typeof(Null) => Serializers.Null,
            _ => null,
        };

        return builtIn is ISerializer<T> serializer
            ? serializer.Serialize(data, context)
            : throw new InvalidOperationException(
                $"No serializer for the dead letter's {Describe(context.Component)} type {typeof(T).FullName} (topic '{context.Topic}'). " +
                $"Add one with KafkaDeadLetterPublisherOptions.{context.Component}Serializers.Add<{typeof(T).Name}>(...), or consume byte[] and deserialize in the handler. " +
                "Built in: string, byte[], int, long, float, double, Null, Ignore.");
    }

    private static string Describe(MessageComponentType component) => component == MessageComponentType.Key ? "key" : "value";
}
