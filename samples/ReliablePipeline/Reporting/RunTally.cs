namespace ReliablePipeline.Reporting;

/// <summary>What one run did to the orders, counted from what is really in the topics and the payment ledger.</summary>
public sealed record RunTally
{
    /// <summary>"naive" or "reliable".</summary>
    public required string Name { get; init; }

    /// <summary>Orders the order service tried to publish.</summary>
    public required int Produced { get; init; }

    /// <summary>Distinct orders read back from the orders topic.</summary>
    public required int Delivered { get; init; }

    /// <summary>Orders whose failed publication was reported to the caller.</summary>
    public required int ReportedFailed { get; init; }

    /// <summary>Distinct orders the payment gateway charged.</summary>
    public required int Processed { get; init; }

    /// <summary>Orders that failed, went through a retry topic, and were then handled (0 without retry topics).</summary>
    public int RetriedThenProcessed { get; init; }

    /// <summary>Distinct orders read back from the dead-letter topic.</summary>
    public required int DeadLettered { get; init; }

    /// <summary>Orders neither charged, nor dead-lettered, nor reported as failed: silently gone.</summary>
    public required int Lost { get; init; }

    /// <summary>Orders charged more than once (the business-level duplicate: a customer paid twice).</summary>
    public required int Duplicated { get; init; }

    /// <summary>Raw redeliveries: times the consumer got an order again (at-least-once), whatever the downstream did with it.</summary>
    public required int Redelivered { get; init; }

    /// <summary>Repeated charges the gateway turned into no-ops because it had seen the idempotency key.</summary>
    public required long IdempotentRepeats { get; init; }

    /// <summary>Distinct orders with a payment result in the payments topic.</summary>
    public required int ResultsWritten { get; init; }

    /// <summary>Errors logged and skipped.</summary>
    public required long ErrorsLogged { get; init; }

    /// <summary>Lost orders by cause (only causes that occurred).</summary>
    public required IReadOnlyList<(string Cause, int Count)> LossCauses { get; init; }

    /// <summary>Dead-lettered orders (distinct) by reason, from the dead letters' headers.</summary>
    public required IReadOnlyList<(string Reason, int Count)> DeadLetterReasons { get; init; }

    /// <summary>How long the run took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Whether the consumer caught up with the whole topic before the run stopped it.</summary>
    public required bool CaughtUp { get; init; }
}
