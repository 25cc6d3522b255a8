using Microsoft.Extensions.Logging;

namespace ReliablePipeline.Naive;

/// <summary>The naive service's log: counts the errors it logged and moved on from (printing thousands of them would drown the demo).</summary>
internal sealed class ErrorCountingLogger : ILogger
{
    private long errors;

    public long Errors => Interlocked.Read(ref errors);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Interlocked.Increment(ref errors);
        }
    }
}
