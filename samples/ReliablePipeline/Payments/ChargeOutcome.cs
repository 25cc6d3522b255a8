namespace ReliablePipeline.Payments;

/// <summary>How the gateway answered the last charge attempt of an order (what the loss report explains losses with).</summary>
public enum ChargeOutcome
{
    /// <summary>Charged (or, with a known idempotency key, the earlier charge returned).</summary>
    Charged,

    /// <summary>HTTP 422: the gateway refuses this order; retrying cannot help.</summary>
    Rejected,

    /// <summary>HTTP 503 or a timeout: retrying later can help.</summary>
    TransientFailure,
}
