using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Diagnostics;

/// <summary>
/// Carries W3C trace context (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) in Kafka message
/// headers, as UTF-8 text. Formatting and parsing are the BCL's (<see cref="DistributedContextPropagator.CreateW3CPropagator"/>,
/// <see cref="ActivityContext.TryParse(string, string, bool, out ActivityContext)"/>).
/// </summary>
public static class TraceContextPropagation
{
    /// <summary>Header holding the W3C <c>traceparent</c> (<c>00-&lt;trace-id&gt;-&lt;span-id&gt;-&lt;flags&gt;</c>).</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>Header holding the W3C <c>tracestate</c>, when the activity has one.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>Header holding W3C <c>baggage</c>, when the activity has baggage.</summary>
    public const string BaggageHeader = "baggage";

    private static readonly DistributedContextPropagator Propagator = DistributedContextPropagator.CreateW3CPropagator();

    /// <summary>
    /// Writes <paramref name="activity"/>'s context into <paramref name="headers"/>, replacing any trace
    /// headers already there (so a re-sent message object does not accumulate them). Does nothing when
    /// <paramref name="activity"/> is null or does not use W3C ids.
    /// </summary>
    /// <param name="headers">The outgoing message's headers.</param>
    /// <param name="activity">Usually the producer span, or <see cref="Activity.Current"/>.</param>
    public static void Inject(Headers headers, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return;
        }

        Propagator.Inject(activity, headers, static (carrier, name, value) =>
        {
            var target = (Headers)carrier!;
            target.Remove(name);
            target.Add(name, Encoding.UTF8.GetBytes(value));
        });
    }

    /// <summary>Reads the remote parent context from <paramref name="headers"/>.</summary>
    /// <param name="headers">A consumed message's headers (may be null).</param>
    /// <returns>The context (marked remote), or null when there is no valid <c>traceparent</c>.</returns>
    public static ActivityContext? Extract(Headers? headers)
    {
        if (headers is null)
        {
            return null;
        }

        Propagator.ExtractTraceIdAndState(headers, ReadHeader, out var traceParent, out var traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : null;
    }

    /// <summary>Reads W3C baggage from <paramref name="headers"/>.</summary>
    /// <param name="headers">A consumed message's headers (may be null).</param>
    /// <returns>The baggage items, or null when there is none.</returns>
    public static IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(Headers? headers) =>
        headers is null ? null : Propagator.ExtractBaggage(headers, ReadHeader);

    private static void ReadHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = ((Headers)carrier!).TryGetLastBytes(name, out var bytes) && bytes is not null
            ? Encoding.UTF8.GetString(bytes)
            : null;
    }
}
