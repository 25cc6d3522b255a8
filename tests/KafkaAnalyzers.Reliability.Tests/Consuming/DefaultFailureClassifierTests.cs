using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.Tests.Consuming;

public sealed class DefaultFailureClassifierTests
{
    public static TheoryData<Exception, FailureCategory> Cases => new()
    {
        { new MessageDeserializationException("bad value", isKey: false, new JsonException("x")), FailureCategory.Permanent },
        { new JsonException("unexpected token"), FailureCategory.Permanent },
        { new FormatException("not a number"), FailureCategory.Permanent },
        { new ValidationException("amount must be positive"), FailureCategory.Permanent },
        { new ArgumentNullException("customerId"), FailureCategory.Permanent },
        { new InvalidCastException(), FailureCategory.Permanent },
        { new NotSupportedException("unknown event type"), FailureCategory.Permanent },
        { new HttpRequestException("bad request", null, HttpStatusCode.BadRequest), FailureCategory.Permanent },
        { new HttpRequestException("gone", null, HttpStatusCode.NotFound), FailureCategory.Permanent },
        { new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable), FailureCategory.Transient },
        { new HttpRequestException("throttled", null, HttpStatusCode.TooManyRequests), FailureCategory.Transient },
        { new HttpRequestException("connection refused"), FailureCategory.Transient },
        { new TimeoutException(), FailureCategory.Transient },
        { new IOException("pipe broken"), FailureCategory.Transient },
        { new SocketException((int)SocketError.ConnectionReset), FailureCategory.Transient },
        { new TaskCanceledException("HttpClient.Timeout elapsed"), FailureCategory.Transient },
        { new KafkaException(ErrorCode.NotEnoughReplicas), FailureCategory.Transient },
        { new KafkaException(ErrorCode.TopicAuthorizationFailed), FailureCategory.Permanent },
        { new AggregateException(new TimeoutException()), FailureCategory.Transient },
        { new AggregateException(new FormatException()), FailureCategory.Permanent },
        { new InvalidOperationException("something unexpected"), FailureCategory.Transient },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies_by_what_a_retry_could_change(Exception exception, FailureCategory expected) =>
        Assert.Equal(expected, DefaultFailureClassifier.Instance.Classify(exception));
}
