using System.Reflection;
using KafkaAnalyzers.Reliability.Consuming;

namespace ReliablePipeline.Reliable;

/// <summary>
/// Kills a <see cref="ReliableConsumer{TKey,TValue}"/> the way a crashed process would leave it: the loop stops
/// at once, nothing more is stored or committed, and the Kafka consumer is disposed without <c>Close()</c>.
/// The library offers this only to its own tests (an internal method), so the demo reaches it by
/// reflection; production code never does this.
/// </summary>
internal static class SimulatedCrash
{
    private const string MethodName = "AbortWithoutClose";

    public static async Task KillAsync<TKey, TValue>(ReliableConsumer<TKey, TValue> consumer)
    {
        var abort = typeof(ReliableConsumer<TKey, TValue>).GetMethod(MethodName, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new MissingMethodException(typeof(ReliableConsumer<TKey, TValue>).FullName, MethodName);
        abort.Invoke(consumer, null);
        try
        {
            await consumer.Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A crashed consumer may report whatever it was doing; the restart is what matters.
        }
    }
}
