using System.Diagnostics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.DeadLetters;
using KafkaAnalyzers.Reliability.Diagnostics;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;

namespace KafkaAnalyzers.Reliability.Tests.Diagnostics;

/// <summary>Metrics seen through a MeterListener and trace context carried through the in-process cluster.</summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Producer_metrics_count_produced_delivered_and_failed_by_topic()
    {
        using var metrics = new MetricsRecorder();
        var allowed = cluster.CreateUniqueTopic("metrics-ok");
        var denied = cluster.CreateUniqueTopic("metrics-denied");
        cluster.SetTopicError(denied, ErrorCode.TopicAuthorizationFailed);
        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new FailureRecorder<Null, int>().Options()))
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(allowed, new Message<Null, int> { Value = i });
            }

            for (var i = 0; i < 4; i++)
            {
                producer.Produce(denied, new Message<Null, int> { Value = i });
            }

            await producer.FlushAsync(Generous);
        }

        Assert.Equal(10, metrics.Sum(ReliabilityInstruments.ProducerMessagesProduced, (ReliabilityInstruments.TopicTag, allowed)));
        Assert.Equal(4, metrics.Sum(ReliabilityInstruments.ProducerMessagesProduced, (ReliabilityInstruments.TopicTag, denied)));
        Assert.Equal(10, metrics.Sum(ReliabilityInstruments.ProducerMessagesDelivered, (ReliabilityInstruments.TopicTag, allowed)));
        Assert.Equal(0, metrics.Sum(ReliabilityInstruments.ProducerMessagesDelivered, (ReliabilityInstruments.TopicTag, denied)));
        Assert.Equal(4, metrics.Sum(ReliabilityInstruments.ProducerMessagesFailed,
            (ReliabilityInstruments.TopicTag, denied),
            (ReliabilityInstruments.ErrorTypeTag, nameof(ErrorCode.TopicAuthorizationFailed)),
            (ReliabilityInstruments.FailureCategoryTag, nameof(FailureCategory.Permanent))));
        Assert.Equal(10, metrics.Count(ReliabilityInstruments.ProducerDeliveryDuration, (ReliabilityInstruments.TopicTag, allowed)));
        Assert.Equal(4, metrics.Count(ReliabilityInstruments.ProducerDeliveryDuration, (ReliabilityInstruments.TopicTag, denied)));
    }

    [Fact]
    public async Task Undelivered_at_disposal_is_counted()
    {
        using var metrics = new MetricsRecorder();
        var topic = cluster.CreateUniqueTopic("metrics-undelivered");
        var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new FailureRecorder<Null, int>().Options(TimeSpan.FromMilliseconds(500)));
        cluster.SetBrokerDown(-1);
        for (var i = 0; i < 7; i++)
        {
            producer.Produce(topic, new Message<Null, int> { Value = i });
        }

        await Assert.ThrowsAsync<UndeliveredMessagesException>(async () => await producer.DisposeAsync());

        Assert.Equal(7, metrics.Sum(ReliabilityInstruments.ProducerMessagesUndelivered, (ReliabilityInstruments.TopicTag, topic)));
        Assert.Equal(0, metrics.Sum(ReliabilityInstruments.ProducerMessagesFailed, (ReliabilityInstruments.TopicTag, topic)));
    }

    [Fact]
    public async Task Dead_letter_metrics_count_published_and_failed()
    {
        using var metrics = new MetricsRecorder();
        var topic = cluster.CreateTopicWithDeadLetterTopic("metrics-dlq");
        var denied = cluster.CreateUniqueTopic("metrics-dlq-denied");
        cluster.SetTopicError(denied + ".dlq", ErrorCode.TopicAuthorizationFailed);
        await using (var publisher = new KafkaDeadLetterPublisher(cluster.BootstrapServers))
        {
            await publisher.PublishAsync(Result(topic), new InvalidOperationException("a"), FailureCategory.Transient, 3).WaitAsync(Generous);
            await publisher.PublishAsync(Result(topic), new InvalidOperationException("b")).WaitAsync(Generous);
            await Assert.ThrowsAsync<DeadLetterPublishException>(() => publisher.PublishAsync(Result(denied), new InvalidOperationException("c")).WaitAsync(Generous));
        }

        Assert.Equal(1, metrics.Sum(ReliabilityInstruments.DeadLettersPublished, (ReliabilityInstruments.TopicTag, topic), (ReliabilityInstruments.DeadLetterTopicTag, topic + ".dlq"), (ReliabilityInstruments.FailureCategoryTag, "Transient")));
        Assert.Equal(1, metrics.Sum(ReliabilityInstruments.DeadLettersPublished, (ReliabilityInstruments.TopicTag, topic), (ReliabilityInstruments.FailureCategoryTag, "Permanent")));
        Assert.Equal(1, metrics.Sum(ReliabilityInstruments.DeadLettersFailed, (ReliabilityInstruments.TopicTag, denied), (ReliabilityInstruments.DeadLetterTopicTag, denied + ".dlq")));
        Assert.Equal(0, metrics.Sum(ReliabilityInstruments.DeadLettersPublished, (ReliabilityInstruments.TopicTag, denied)));
    }

    [Fact]
    public async Task Traceparent_round_trips_through_the_cluster_with_the_producer_span_as_parent()
    {
        var topic = cluster.CreateUniqueTopic("trace");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReliabilityTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var request = new Activity("handle-order").SetIdFormat(ActivityIdFormat.W3C).Start();

        await using (var producer = new DeliveryTrackingProducer<string, string>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), new FailureRecorder<string, string>().Options()))
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "order-1", Value = "created" }).WaitAsync(Generous);
            Assert.Same(request, Activity.Current);
        }

        var consumed = TopicReader.ConsumeOne<string, string>(cluster.BootstrapServers, topic);
        var parent = TraceContextPropagation.Extract(consumed.Message.Headers);
        Activity send;
        lock (stopped)
        {
            send = Assert.Single(stopped, activity => activity.DisplayName == $"send {topic}");
        }

        Assert.NotNull(parent);
        Assert.Equal(request.TraceId, parent.Value.TraceId);
        Assert.Equal(send.SpanId, parent.Value.SpanId);
        Assert.Equal(request.SpanId, send.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(ActivityStatusCode.Ok, send.Status);
    }

    [Fact]
    public async Task Failure_handler_does_not_see_a_stale_activity_on_the_delivery_thread()
    {
        var topic = cluster.CreateUniqueTopic("trace-handler");
        cluster.SetTopicError(topic, ErrorCode.TopicAuthorizationFailed);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReliabilityTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var seenByHandler = new List<string?>();
        var options = new DeliveryTrackingOptions<Null, int>
        {
            OnDeliveryFailed = _ =>
            {
                lock (seenByHandler)
                {
                    seenByHandler.Add(Activity.Current?.OperationName);
                }
            },
        };
        using var request = new Activity("handle-order").SetIdFormat(ActivityIdFormat.W3C).Start();

        await using (var producer = new DeliveryTrackingProducer<Null, int>(KafkaPresets.CriticalProducer(cluster.BootstrapServers), options))
        {
            for (var i = 0; i < 3; i++)
            {
                producer.Produce(topic, new Message<Null, int> { Value = i });
            }

            await producer.FlushAsync(Generous);
        }

        Assert.Equal([null, null, null], seenByHandler);
    }

    private static ConsumeResult<string, string> Result(string topic) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 0),
        Message = new Message<string, string> { Key = "k", Value = "v", Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
    };
}
