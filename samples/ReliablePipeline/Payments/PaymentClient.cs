using ReliablePipeline.Orders;

namespace ReliablePipeline.Payments;

/// <summary>
/// One service process's connection pool to the payment gateway (8 connections). <see cref="Kill"/>
/// simulates the process dying: from then on nothing it started comes back to it (calls already sent
/// may still be charged at the gateway, as with a real crash), and its waiting calls never run.
/// </summary>
public sealed class PaymentClient(PaymentGateway gateway)
{
    /// <summary>Concurrent requests one process may have open to the gateway.</summary>
    public const int Connections = 8;

    private readonly SemaphoreSlim connections = new(Connections, Connections);
    private readonly CancellationTokenSource killed = new();
    private int inFlight;

    /// <summary>Calls started and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Charges <paramref name="order"/> through one of the pool's connections.</summary>
    /// <param name="order">The order.</param>
    /// <param name="idempotencyKey">Passed to the gateway.</param>
    /// <param name="cancellationToken">Aborts the request.</param>
    public async Task<PaymentReceipt> ChargeAsync(Order order, string? idempotencyKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            using (var waitFor = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, killed.Token))
            {
                try
                {
                    await connections.WaitAsync(waitFor.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (killed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return await NeverAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            try
            {
                PaymentReceipt receipt;
                try
                {
                    receipt = await gateway.ChargeAsync(order, idempotencyKey, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (killed.IsCancellationRequested)
                {
                    return await NeverAsync(cancellationToken).ConfigureAwait(false);
                }

                return killed.IsCancellationRequested ? await NeverAsync(cancellationToken).ConfigureAwait(false) : receipt;
            }
            finally
            {
                connections.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>The process died: nothing it started returns to it.</summary>
    public void Kill() => killed.Cancel();

    /// <summary>A dead process's call: never returns (only its own cancellation ends the wait).</summary>
    private static async Task<PaymentReceipt> NeverAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new OperationCanceledException(cancellationToken);
    }
}
