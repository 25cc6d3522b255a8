namespace ReliablePipeline.Payments;

/// <summary>What the payment gateway returns for a successful charge.</summary>
/// <param name="OrderId">The order charged.</param>
/// <param name="ChargeId">The gateway's id for the charge.</param>
/// <param name="Amount">Amount charged.</param>
/// <param name="Currency">Currency charged.</param>
public sealed record PaymentReceipt(string OrderId, string ChargeId, decimal Amount, string Currency);
