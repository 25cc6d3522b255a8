using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ReliablePipeline.Orders;

namespace ReliablePipeline.Payments;

/// <summary>
/// The payment provider downstream of the consumer, in memory. It keeps the ledger the demo counts
/// (which orders were charged, how many times) and misbehaves as the scenario tells it to:
/// <list type="bullet">
/// <item>a few orders get HTTP 503 on their first attempt, a few are charged but their response times out;</item>
/// <item>orders in an unsupported currency are refused with HTTP 422 (permanent);</item>
/// <item>an outage makes every call fail with HTTP 503; a slowdown makes every call slow.</item>
/// </list>
/// Like real payment APIs it accepts an idempotency key: a second charge with a key already charged
/// returns the first receipt instead of charging again.
/// </summary>
public sealed class PaymentGateway(OrderBook orders)
{
    private static readonly TimeSpan NormalLatency = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentDictionary<string, int> charges = new();
    private readonly ConcurrentDictionary<string, ChargeOutcome> lastOutcome = new();
    private readonly Dictionary<string, PaymentReceipt> byIdempotencyKey = new();
    private readonly object ledger = new();
    private volatile bool outage;
    private long slowLatencyTicks;
    private long calls;
    private long failures;
    private long idempotentRepeats;

    /// <summary>Charge attempts so far.</summary>
    public long Calls => Interlocked.Read(ref calls);

    /// <summary>Attempts that failed (503, 422, timeout).</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Charges not made because the idempotency key had already been charged (the first receipt was returned).</summary>
    public long IdempotentRepeats => Interlocked.Read(ref idempotentRepeats);

    /// <summary>Distinct orders charged at least once.</summary>
    public int ChargedOrders => charges.Count;

    /// <summary>How many times each charged order was charged.</summary>
    public IReadOnlyDictionary<string, int> Charges => charges;

    /// <summary>The answer to the last attempt of each order the gateway saw.</summary>
    public IReadOnlyDictionary<string, ChargeOutcome> LastOutcome => lastOutcome;

    /// <summary>Starts or ends an outage: while it lasts every call fails with HTTP 503.</summary>
    public void SetOutage(bool down) => outage = down;

    /// <summary>Makes every call take <paramref name="latency"/> (<see cref="TimeSpan.Zero"/> restores normal speed).</summary>
    public void SetSlowdown(TimeSpan latency) => Interlocked.Exchange(ref slowLatencyTicks, latency.Ticks);

    /// <summary>Charges <paramref name="order"/>.</summary>
    /// <param name="order">The order.</param>
    /// <param name="idempotencyKey">When set, a repeated charge with the same key returns the first receipt.</param>
    /// <param name="cancellationToken">Aborts the request before it is charged.</param>
    /// <exception cref="HttpRequestException">503 (unavailable) or 422 (unsupported currency).</exception>
    /// <exception cref="TimeoutException">The order was charged, but the response was lost.</exception>
    public async Task<PaymentReceipt> ChargeAsync(Order order, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var attempt = attempts.AddOrUpdate(order.OrderId, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref calls);
        var slow = Interlocked.Read(ref slowLatencyTicks);
        await Task.Delay(slow > 0 ? TimeSpan.FromTicks(slow) : NormalLatency, cancellationToken).ConfigureAwait(false);

        if (outage || (attempt == 1 && orders.UnavailableOnFirstAttempt.Contains(order.OrderId)))
        {
            throw Fail(order, ChargeOutcome.TransientFailure, new HttpRequestException("Payment provider unavailable.", null, HttpStatusCode.ServiceUnavailable));
        }

        if (order.Currency == "XTS")
        {
            throw Fail(order, ChargeOutcome.Rejected, new HttpRequestException($"Currency {order.Currency} is not supported.", null, HttpStatusCode.UnprocessableEntity));
        }

        var receipt = Charge(order, idempotencyKey);
        if (attempt == 1 && orders.TimesOutAfterChargingOnFirstAttempt.Contains(order.OrderId))
        {
            throw Fail(order, ChargeOutcome.Charged, new TimeoutException("The charge went through, but its response timed out."));
        }

        lastOutcome[order.OrderId] = ChargeOutcome.Charged;
        return receipt;
    }

    private PaymentReceipt Charge(Order order, string? idempotencyKey)
    {
        lock (ledger)
        {
            if (idempotencyKey is not null && byIdempotencyKey.TryGetValue(idempotencyKey, out var earlier))
            {
                Interlocked.Increment(ref idempotentRepeats);
                return earlier;
            }

            var count = charges.AddOrUpdate(order.OrderId, 1, static (_, count) => count + 1);
            var receipt = new PaymentReceipt(order.OrderId, string.Create(CultureInfo.InvariantCulture, $"ch_{order.OrderId}_{count}"), order.Amount, order.Currency);
            if (idempotencyKey is not null)
            {
                byIdempotencyKey[idempotencyKey] = receipt;
            }

            return receipt;
        }
    }

    private Exception Fail(Order order, ChargeOutcome outcome, Exception exception)
    {
        Interlocked.Increment(ref failures);
        lastOutcome[order.OrderId] = outcome;
        return exception;
    }
}
