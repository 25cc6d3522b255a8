using ReliablePipeline.Payments;

namespace ReliablePipeline.Scenario;

/// <summary>Plays the orchestrator of the payment service: starts it, and restarts it after a crash.</summary>
internal sealed class PaymentServiceSupervisor(Func<PaymentClient, IPaymentProcess> start, PaymentGateway gateway)
{
    private readonly List<IPaymentProcess> crashed = [];
    private IPaymentProcess? current;

    /// <summary>The running process's connection pool to the gateway.</summary>
    public PaymentClient Payments { get; private set; } = new(gateway);

    public int Restarts { get; private set; }

    public void Start() => current = start(Payments);

    public async Task CrashAsync()
    {
        await Current.CrashAsync().ConfigureAwait(false);
        crashed.Add(Current);
        current = null;
    }

    public void Restart()
    {
        Payments = new PaymentClient(gateway);
        Restarts++;
        Start();
    }

    public async Task StopAsync()
    {
        await Current.StopAsync().ConfigureAwait(false);
        foreach (var process in crashed)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IPaymentProcess Current => current ?? throw new InvalidOperationException("The payment service is not running.");
}
