using System;

namespace KafkaAnalyzers.Model;

/// <summary>
/// What a piece of code (a catch body, a method body, the rest of a loop iteration) does, as far as the
/// consumer rules care, including what the project methods it calls do (<see cref="ProjectCalls"/>).
/// </summary>
[Flags]
internal enum BodyEffects
{
    None = 0,

    /// <summary><c>throw</c>, <c>throw;</c> or <c>ExceptionDispatchInfo.Throw</c>.</summary>
    Throws = 1 << 0,

    /// <summary><c>Produce</c>/<c>ProduceAsync</c> on a Kafka producer: the message goes to another topic.</summary>
    Produces = 1 << 1,

    /// <summary>A call to the runtime library's dead-letter sink or to a method listed in <c>kafka_analyzers.dead_letter_methods</c>.</summary>
    DeadLetters = 1 << 2,

    /// <summary><c>Seek</c> (or <c>Assign</c>) on a consumer: the failed message is read again.</summary>
    Seeks = 1 << 3,

    /// <summary>Stops the process or the consumer: <c>Environment.Exit/FailFast</c>, <c>StopApplication</c>, <c>Cancel</c> on a token source, <c>Close</c>/<c>Unsubscribe</c>/<c>Pause</c> on a consumer.</summary>
    Stops = 1 << 4,

    /// <summary>A call the model cannot see into (an interface, a delegate, a library method that is not logging, too deep).</summary>
    Unknown = 1 << 5,

    /// <summary><c>Consume</c> on a consumer.</summary>
    Consumes = 1 << 6,

    /// <summary>Reads <c>Error.IsFatal</c>.</summary>
    ChecksFatal = 1 << 7,

    /// <summary><c>Commit</c> or <c>StoreOffset</c> on a consumer.</summary>
    Commits = 1 << 8,

    /// <summary>Waits: <c>await</c>, <c>Task.Delay</c>, <c>Thread.Sleep</c>, <c>Wait()</c>, <c>WaitOne()</c>...</summary>
    Waits = 1 << 9,

    /// <summary>An <c>await</c> (also counted as <see cref="Waits"/>): the only wait that can give the thread back.</summary>
    Awaits = 1 << 10,

    /// <summary><c>Flush</c> or <c>CommitTransaction</c> on a producer: what it produced before is delivered, or its failure known (KAFKA115).</summary>
    Flushes = 1 << 11,

    /// <summary>Anything that keeps a failed message from being silently skipped.</summary>
    Rescues = Throws | Produces | DeadLetters | Seeks | Stops | Unknown,
}

internal static class BodyEffectsExtensions
{
    public static bool Has(this BodyEffects effects, BodyEffects flag) => (effects & flag) != 0;

    /// <summary>Only logs, prints, counts, waits or ignores (RULES.md KAFKA103): nothing that saves, rethrows or stops.</summary>
    public static bool OnlyLogs(this BodyEffects effects) => (effects & BodyEffects.Rescues) == 0;
}
