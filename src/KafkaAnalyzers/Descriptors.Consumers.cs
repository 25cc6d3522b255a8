using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA1xx: consumer offsets and processing.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA108_HeartbeatNotAThirdOfSession = DescriptorFactory.Create(
        "KAFKA108",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Heartbeat not a third of the session timeout",
        "Session timeout {0} ms is less than three heartbeats of {1} ms: one late heartbeat makes the coordinator evict the consumer and rebalance the group",
        "The group coordinator evicts a member that sends no heartbeat within session.timeout.ms. With fewer than three heartbeats per session, "
        + "a single delayed heartbeat (GC pause, network blip) triggers a rebalance that stops the whole group.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA101_AutoCommitWithAsyncProcessing = DescriptorFactory.Create(
        "KAFKA101",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Auto-commit with asynchronous processing",
        "Consumed messages go to {0}, which the consume loop does not wait for, while auto-commit stores and commits their offsets as soon as Consume returns: a crash or a failure loses messages still being processed",
        "With enable.auto.commit and enable.auto.offset.store on (the defaults), librdkafka stores the offset of every message Consume returns and commits it in the background every auto.commit.interval.ms. "
        + "When the loop hands the message to a task, thread, channel or queue and moves on, the offset is committed before the work finishes; a crash or a failed task loses the message.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA102_OffsetsFromWorkerThreads = DescriptorFactory.Create(
        "KAFKA102",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Consumer offsets committed from worker threads",
        "{0}",
        "Offsets stored or committed by workers land in whatever order the workers finish, so a later offset marks earlier, still running messages as done and a crash loses them. "
        + "Closing or disposing the consumer while another thread is inside a client call can crash the process (confluent-kafka-dotnet #597).",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA103_CatchAndLogWithoutDeadLetter = DescriptorFactory.Create(
        "KAFKA103",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Catch-and-log without dead-letter",
        "This catch only logs a failed message and consumption goes on: the offset moves past it and the message is lost; publish it to a dead-letter topic or rethrow",
        "A catch around message processing that only logs, counts or ignores the failure lets the consume loop continue and the offset advance past the message, which is then never processed. "
        + "Rethrowing, producing the message to a dead-letter topic, seeking back or stopping the loop keeps it. Methods listed in kafka_analyzers.dead_letter_methods count as dead-lettering.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA104_OffsetCommittedBeforeProcessing = DescriptorFactory.Create(
        "KAFKA104",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Offset committed before processing",
        "'{0}' marks the message as done before it is processed: a crash or a failure in the processing that follows loses it",
        "Committing or storing a message's offset before processing it gives at-most-once delivery: if processing then fails or the process dies, the group has already moved past the message.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA105_ConsumerDisposedWithoutClose = DescriptorFactory.Create(
        "KAFKA105",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Consumer disposed without Close",
        "{0}: the consumer neither commits its final offsets nor leaves the group, and the group's partitions stall until the session times out",
        "Dispose does not leave the consumer group. Close() commits the final offsets (with auto-commit) and leaves the group, so its partitions are "
        + "reassigned at once; without it they stay with a dead member until session.timeout.ms passes.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA106_ManualCommitThatNeverCommits = DescriptorFactory.Create(
        "KAFKA106",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Manual commit that never commits",
        "Auto-commit is off for this subscribed consumer and nothing in '{0}' commits its offsets: every restart or rebalance consumes again from the last committed offset",
        "With enable.auto.commit=false only Commit (or SendOffsetsToTransaction) moves the group's committed offsets. A subscribed consumer that never commits reprocesses everything after every restart and rebalance.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA107_FatalConsumeErrorSwallowed = DescriptorFactory.Create(
        "KAFKA107",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Fatal consume error swallowed",
        "This catch of {0} lets the consume loop go on without checking Error.IsFatal: after a fatal error every Consume fails again at once and the loop spins without consuming",
        "A fatal error leaves the consumer unusable; every later Consume throws again immediately. A catch that logs and continues without checking Error.IsFatal turns it into a hot loop that consumes nothing.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA109_StoreOffsetWithAutoStore = DescriptorFactory.Create(
        "KAFKA109",
        Categories.Reliability,
        DiagnosticSeverity.Error,
        "StoreOffset with automatic offset store on",
        "StoreOffset throws KafkaException (Local_InvalidArg) because this consumer's configuration {0} enable.auto.offset.store on; set EnableAutoOffsetStore = false",
        "librdkafka refuses an explicit offset store while enable.auto.offset.store is true (its default): StoreOffset throws KafkaException with Local_InvalidArg at run time.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA110_ConsumerConfigRejected = DescriptorFactory.Create(
        "KAFKA110",
        Categories.Reliability,
        DiagnosticSeverity.Error,
        "Consumer configuration that Build() rejects",
        "{0}",
        "librdkafka refuses conflicting consumer settings when the client is created (max.poll.interval.ms below session.timeout.ms), and a subscribing consumer needs a group.id: ConsumerBuilder.Build() or Subscribe() throws and the service fails at start-up.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA111_ConsumerBuiltPerMessage = DescriptorFactory.Create(
        "KAFKA111",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Consumer built per message or per request",
        "A consumer is built and disposed {0}: every build joins the group again and rebalances it",
        "Each new consumer joins the group, which rebalances every member; disposing it rebalances again. Building one per message or request keeps the group rebalancing instead of consuming.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA112_BusyConsumeLoop = DescriptorFactory.Create(
        "KAFKA112",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Busy consume loop",
        "Consume with a zero timeout in a loop that does not wait when no message arrives: the loop spins and burns a core while the topic is idle",
        "Consume(TimeSpan.Zero) returns at once when no message is ready. A loop around it with no wait on the empty path polls as fast as it can, using a full core while idle.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA113_CommitWithAutoCommitOn = DescriptorFactory.Create(
        "KAFKA113",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Explicit commit with auto-commit still on",
        "Commit is called on a consumer whose configuration {0} auto-commit and the automatic offset store on: the background commit still commits messages consumed but not processed",
        "With enable.auto.commit and enable.auto.offset.store on, the background auto-commit commits the offset of every message Consume returned, processed or not. An explicit Commit adds no guarantee; "
        + "turn auto-commit off, or turn the automatic store off and store offsets after processing.",
        dataLoss: true);

    // ---- issue 8: rules found in real services ---------------------------------------------------

    public static readonly DiagnosticDescriptor KAFKA114_ConsumeLoopBlocksHostStart = DescriptorFactory.Create(
        "KAFKA114",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Consume loop blocks host start-up",
        "'{0}' blocks in Consume on the host's start-up path: {1}",
        "Up to Microsoft.Extensions.Hosting 9.x the host runs BackgroundService.ExecuteAsync synchronously until its first incomplete await, and it awaits every IHostedService.StartAsync in turn. "
        + "A consume loop reached before that point holds the start of every later hosted service and of the web server until a message arrives, forever on an idle topic.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA115_InputCommittedBeforeOutputConfirmed = DescriptorFactory.Create(
        "KAFKA115",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Input offset committed before the output is confirmed",
        "'{0}' marks the consumed message done while the message sent by {1} may still fail: if that delivery fails or the process stops now, the output is lost and the input is not read again",
        "In a consume-transform-produce loop the input may only be marked done once its output is delivered. Produce and an un-awaited ProduceAsync return while the message is still queued in the client; "
        + "a Commit or StoreOffset that follows before an await, a Flush or a transaction commit lets a failed delivery or a crash lose the output while the input counts as processed.",
        dataLoss: true);

    public static readonly DiagnosticDescriptor KAFKA116_AssignOnSubscribedConsumer = DescriptorFactory.Create(
        "KAFKA116",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Assign on a subscribed consumer",
        "Assign replaces the whole assignment of subscribed consumer '{0}': every other partition the group gave it stops being consumed until the next rebalance while the group still counts it as owned{1}",
        "IConsumer.Assign sets the complete set of partitions to consume. On a consumer that subscribed, it drops every partition the group assigned except the ones passed; "
        + "the group still believes this member owns them, so their lag grows silently until the next rebalance. Seek moves one assigned partition and leaves the rest alone.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA117_ConsumeLoopTaskNeverObserved = DescriptorFactory.Create(
        "KAFKA117",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        "Consume loop task never observed",
        "The task running consume loop '{0}' is never observed and the loop does not catch every exception: the first unexpected exception ends consumption silently while the process stays up",
        "A consume loop started with Task.Run or Task.Factory.StartNew whose task is discarded ends silently on its first unhandled exception: no crash, no log, healthy-looking process, "
        + "and the group keeps its partitions with a member that no longer polls until max.poll.interval.ms passes.",
        dataLoss: false);
}
