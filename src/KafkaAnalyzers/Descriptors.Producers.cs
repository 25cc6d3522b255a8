using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA0xx: producer durability.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA001_WeakAcks = DescriptorFactory.Create(
        "KAFKA001",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Producer acknowledgement weaker than 'all'",
        "Producer acks is {0}: {1}; set acks to all",
        "With acks 0 the producer never hears back from the broker; with acks 1 only the partition leader has the message when the delivery report says success. "
        + "A leader crash before replication silently loses acknowledged messages. Topics listed in kafka_analyzers.lossy_topics are exempt.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA002_IdempotenceNotEnabled = DescriptorFactory.Create(
        "KAFKA002",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Idempotence not enabled",
        "{0}: a retried send can write a message twice or out of order; enable idempotence",
        "Without enable.idempotence the broker cannot recognise a retried batch, so a retry after a lost response duplicates messages and retries with several requests in flight reorder them. "
        + "librdkafka's default is false. Topics listed in kafka_analyzers.lossy_topics are exempt.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA003_ProducerConfigRejected = DescriptorFactory.Create(
        "KAFKA003",
        Categories.Reliability,
        DiagnosticSeverity.Error,
        "Producer configuration that Build() rejects",
        "ProducerBuilder.Build() throws for this configuration: {0}",
        "librdkafka refuses conflicting producer settings when the client is created, so ProducerBuilder.Build() throws InvalidOperationException and the service fails at start-up.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA009_RetriesOrTimeoutTooLow = DescriptorFactory.Create(
        "KAFKA009",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Retries disabled or delivery timeout too short",
        "{0}: a broker hiccup becomes a failed delivery; {1}",
        "librdkafka retries transient produce errors (leader elections, timeouts, NOT_ENOUGH_REPLICAS) until message.timeout.ms expires. "
        + "Disabling retries or shortening the delivery timeout turns routine broker events into lost messages.",
        dataLoss: true);
    // ---- Producer call sites ------------------------------------------------------------------

    public static readonly DiagnosticDescriptor KAFKA004_ProduceWithoutHandler = DescriptorFactory.Create(
        "KAFKA004",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Produce without a delivery handler",
        "Produce has no delivery handler, so a failed delivery of this message is never reported; pass a handler that checks report.Error, or await ProduceAsync",
        "Produce only queues the message. Whether the broker accepted it is known later, and only the delivery handler is told. "
        + "Without one, a message that times out, is refused or exceeds the size limit disappears without an error anywhere. "
        + "Transactional producers (CommitTransaction reports failures) and handlers forwarded from a parameter are not reported.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA005_ProduceAsyncNotObserved = DescriptorFactory.Create(
        "KAFKA005",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "ProduceAsync result not observed",
        "{0}, so a failed delivery is never seen; await it",
        "The task ProduceAsync returns is the only place a delivery failure (ProduceException) is reported. "
        + "A task that is discarded, returned from a fire-and-forget Task.Run or continued without reading its exception hides every failure.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA006_HandlerIgnoresError = DescriptorFactory.Create(
        "KAFKA006",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Delivery handler ignores the delivery error",
        "The delivery handler never reads {0}.Error or {0}.Status, so a failed delivery is treated as delivered; check {0}.Error.IsError",
        "librdkafka calls the delivery handler for every message, delivered or not; the outcome is in the report's Error (and Status). "
        + "A handler that only reads the topic, offset or value counts failed messages as sent.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA007_DisposedWithoutFlush = DescriptorFactory.Create(
        "KAFKA007",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Producer disposed without Flush",
        "{0}; messages still queued are dropped without a delivery report; flush before disposing and handle what Flush leaves",
        "Disposing a producer destroys librdkafka's queue: messages produced but not yet delivered are dropped and their delivery handlers never run "
        + "(measured: 100 of 100 lost with LingerMs=1000). Flush(timeout) waits for them and returns how many are still queued.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA008_ProducerPerMessage = DescriptorFactory.Create(
        "KAFKA008",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Producer built per message",
        "{0}: every producer opens its own broker connections and sends its messages alone; build one producer and reuse it",
        "A producer is a heavyweight, thread-safe client: building one costs connections, metadata requests and (with idempotence) a new producer id, "
        + "and each message then goes in a batch of its own. Build it once per process (a singleton) and share it.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA010_AwaitInLoop = DescriptorFactory.Create(
        "KAFKA010",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        "ProduceAsync awaited one message at a time in a loop",
        "Awaiting ProduceAsync inside the loop sends one message per broker round-trip; produce the batch and await the tasks together, or use Produce with a delivery handler",
        "Each await waits for the broker's acknowledgement (and linger.ms) before the next message is even queued, so batching never happens.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA011_FlushPerMessage = DescriptorFactory.Create(
        "KAFKA011",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        "Flush after every message",
        "Flush {0}: it waits a full broker round-trip for each message and defeats batching; flush at shutdown or at batch boundaries",
        "Flush blocks until every queued message is acknowledged. Called after each message it turns the producer into one synchronous request per message.",
        dataLoss: false);
}
