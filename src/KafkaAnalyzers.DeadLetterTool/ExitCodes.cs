namespace KafkaAnalyzers.DeadLetterTool;

/// <summary>kafka-dlq's exit codes (also listed in the tool's README and in <c>kafka-dlq --help</c>).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error (a bug, or a cluster error not listed below); the message says what happened.</summary>
    public const int Failed = 1;

    /// <summary>Invalid command line or <c>--command-config</c> file: an unknown option, a missing value, a value out of range.</summary>
    public const int BadArguments = 2;

    /// <summary>The cluster did not answer within <c>--timeout</c> (wrong address, brokers down, security settings).</summary>
    public const int Unreachable = 3;

    /// <summary>The dead-letter topic, the <c>--to-topic</c> or the dead letter asked for does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>A replay stopped: a dead letter could not be republished or the progress not committed. Everything up to the last committed batch is done; run the same command again to continue.</summary>
    public const int ReplayStopped = 5;

    /// <summary>A replay finished, but some selected dead letters were not republished: refused by <c>--max-replays</c>, or without a readable original topic and no <c>--to-topic</c>. They are listed.</summary>
    public const int ReplayIncomplete = 6;

    /// <summary>Interrupted (Ctrl+C or SIGTERM). A replay's progress is committed up to the last finished batch.</summary>
    public const int Interrupted = 130;

    /// <summary>The text of <c>--help</c>'s exit-code section.</summary>
    public const string Description =
        "Exit codes: 0 done; 1 unexpected error; 2 invalid arguments; 3 cluster unreachable; 4 topic or dead letter not found; " +
        "5 replay stopped by a failed republish or commit (progress kept, run again to continue); " +
        "6 replay finished but some dead letters were refused (--max-replays) or unroutable; 130 interrupted (progress kept).";
}
