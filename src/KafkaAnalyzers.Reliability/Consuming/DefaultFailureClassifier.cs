using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Producing;

namespace KafkaAnalyzers.Reliability.Consuming;

/// <summary>
/// The classification used unless another <see cref="IFailureClassifier"/> is given.
/// Permanent: the message itself is bad (deserialization, format, JSON, validation, argument, cast,
/// not-supported errors; HTTP 4xx other than 408/429). Kafka errors (a handler that produces, for
/// example) follow <see cref="DeliveryErrorClassifier"/>.
/// Transient: timeouts, I/O and socket errors, HTTP failures without a status or with 408, 429 or 5xx,
/// cancellations the consumer did not ask for, and anything unknown: retrying those is bounded and
/// ends in the dead-letter sink, so an unknown failure costs a few attempts, never the message.
/// </summary>
public class DefaultFailureClassifier : IFailureClassifier
{
    /// <summary>A shared instance.</summary>
    public static DefaultFailureClassifier Instance { get; } = new();

    /// <inheritdoc/>
    public virtual FailureCategory Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Unwrap(exception) switch
        {
            MessageDeserializationException or FormatException or JsonException or ValidationException
                or ArgumentException or InvalidCastException or NotSupportedException => FailureCategory.Permanent,
            HttpRequestException http => ClassifyHttpStatus(http.StatusCode),
            KafkaException kafka => DeliveryErrorClassifier.Classify(kafka.Error),
            TimeoutException or IOException or SocketException or OperationCanceledException => FailureCategory.Transient,
            _ => FailureCategory.Transient,
        };
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception;
    }

    private static FailureCategory ClassifyHttpStatus(HttpStatusCode? status) => status switch
    {
        null => FailureCategory.Transient,
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => FailureCategory.Transient,
        >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => FailureCategory.Permanent,
        _ => FailureCategory.Transient,
    };
}
