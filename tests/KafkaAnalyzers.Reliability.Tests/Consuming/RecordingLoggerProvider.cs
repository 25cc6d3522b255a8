using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

/// <summary>Keeps every log entry for assertions and copies Information and above to the test output.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ITestOutputHelper? output;

    public RecordingLoggerProvider(ITestOutputHelper? output)
    {
        this.output = output;
        Factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(this));
    }

    public ILoggerFactory Factory { get; }

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public int Count(int eventId) => Entries.Count(entry => entry.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception)
    {
        /// <summary>When it was logged (UTC).</summary>
        public DateTime At { get; } = DateTime.UtcNow;
    }

    private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            provider.Entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, message, exception));
            if (logLevel >= LogLevel.Information && provider.output is { } output)
            {
                try
                {
                    output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{eventId.Id}] {message}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}");
                }
                catch (InvalidOperationException)
                {
                    // The test already finished; background threads may still log.
                }
            }
        }
    }
}
