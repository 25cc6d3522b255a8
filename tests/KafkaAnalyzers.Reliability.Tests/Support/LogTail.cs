using System.Collections.Concurrent;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>Keeps the last lines librdkafka logged, to explain a failed chaos run in its test output.</summary>
internal sealed class LogTail(int capacity)
{
    private readonly ConcurrentQueue<string> lines = new();

    public void Add(LogMessage message)
    {
        lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {message.Level} {message.Facility} {message.Message}");
        while (lines.Count > capacity && lines.TryDequeue(out _))
        {
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, lines);
}
