using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing;
using ReliablePipeline.Payments;

namespace ReliablePipeline.Scenario;

/// <summary>
/// The scripted faults, on the clock of the publishing window (orders are published evenly over
/// <see cref="PublishingWindow"/>, whatever their number), so every run sees them at the same points of the
/// stream. Faults that last run on their own timer; the run waits for all of them before it counts.
/// </summary>
internal sealed class FaultSchedule
{
    /// <summary>How long the order service takes to publish all orders.</summary>
    public static readonly TimeSpan PublishingWindow = TimeSpan.FromSeconds(12);

    /// <summary>Per-charge latency while the payment gateway is degraded (8 connections: 8 charges per second).</summary>
    public static readonly TimeSpan SlowCharge = TimeSpan.FromSeconds(1);

    /// <summary>How long the gateway stays degraded.</summary>
    public static readonly TimeSpan SlowdownDuration = TimeSpan.FromSeconds(8);

    /// <summary>
    /// When the payment service crashes, counted from the start of the slowdown: well past the 5 s auto-commit
    /// interval, so the naive consumer has certainly committed offsets of orders still queued behind the slow gateway.
    /// </summary>
    public static readonly TimeSpan CrashAfter = TimeSpan.FromSeconds(6.5);

    /// <summary>The schedule, for the introduction.</summary>
    public const string Description =
        "0.5 s NOT_ENOUGH_REPLICAS; 1 s leader moves; 1.5 s broker 2 down for 1.5 s; 3 s gateway outage (HTTP 503) for 1.5 s; " +
        "4.5 s gateway degraded (1 s per charge) for 8 s, the payment service crashing 6.5 s into it and restarting; " +
        "11.5 s broker 3 down until 2 s after the last order is published (12 s)";

    /// <summary>When the end-of-publishing broker outage starts; the last orders wait for it (<see cref="FinalOutageStarted"/>).</summary>
    public static readonly TimeSpan FinalOutageAt = TimeSpan.FromSeconds(11.5);

    private readonly List<(TimeSpan At, Func<Task> Run)> faults = [];
    private readonly TaskCompletionSource finalOutageStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FaultSchedule()
    {
    }

    /// <summary>
    /// Completes once broker 3 is down (or the fault was skipped). The orders due after <see cref="FinalOutageAt"/> are
    /// published only then, so some are always still queued for that broker when the order service shuts down,
    /// however late a timer fires on a busy machine.
    /// </summary>
    public Task FinalOutageStarted => finalOutageStarted.Task;

    /// <summary>The schedule of one run.</summary>
    public static FaultSchedule Create(DemoCluster cluster, RunNames topics, PaymentGateway gateway, PaymentServiceSupervisor service, Task publishingDone, ProgressLog log)
    {
        var schedule = new FaultSchedule();
        var faults = cluster.Faults;
        int MovedLeader(int partition) => (cluster.InitialLeader(partition) % cluster.BrokerCount) + 1;
        string LedBy(int broker) =>
            string.Join(", ", Enumerable.Range(0, RunNames.Partitions).Where(p => MovedLeader(p) == broker).Select(p => $"{topics.Orders}[{p}]"));

        schedule.Add(0.5, () => Kafka(log, faults, "NOT_ENOUGH_REPLICAS answers the next 4 produce requests", f =>
            f.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend, ErrorCode.NotEnoughReplicas)));

        schedule.Add(1, () => Kafka(log, faults, $"leader moves: every {topics.Orders} partition moves to the next broker (clients get NOT_LEADER and follow)", f =>
        {
            for (var partition = 0; partition < RunNames.Partitions; partition++)
            {
                f.SetPartitionLeader(topics.Orders, partition, MovedLeader(partition));
            }
        }));

        schedule.Add(1.5, async () =>
        {
            await Kafka(log, faults, $"broker 2 down (leads {LedBy(2)})", f => f.SetBrokerDown(2)).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
            await Kafka(log, faults, "broker 2 up", f => f.SetBrokerUp(2)).ConfigureAwait(false);
        });

        schedule.Add(3, async () =>
        {
            log.Fault("payment gateway outage: every charge fails with HTTP 503 for 1.5 s");
            gateway.SetOutage(true);
            await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
            gateway.SetOutage(false);
            log.Fault("payment gateway outage over");
        });

        schedule.Add(4.5, async () =>
        {
            log.Fault($"payment gateway degraded: {SlowCharge.TotalSeconds:F0} s per charge for {SlowdownDuration.TotalSeconds:F0} s");
            gateway.SetSlowdown(SlowCharge);
            var slowdownEnds = Task.Delay(SlowdownDuration);
            await Task.Delay(CrashAfter).ConfigureAwait(false);
            log.Fault("payment service crashes: process killed, consumer not closed, nothing more committed");
            await service.CrashAsync().ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            service.Restart();
            log.Fault("payment service restarted in the same group (partitions come back once the dead member's session times out)");
            await slowdownEnds.ConfigureAwait(false);
            gateway.SetSlowdown(TimeSpan.Zero);
            log.Fault("payment gateway back to normal speed");
        });

        // After the crash: the group coordinator may be on broker 3, and the crash needs the naive consumer's auto-commits to have worked.
        schedule.Add(FinalOutageAt.TotalSeconds, async () =>
        {
            await Kafka(log, faults, $"broker 3 down (leads {LedBy(3)}) until 2 s after the last order is published", f => f.SetBrokerDown(3)).ConfigureAwait(false);
            schedule.finalOutageStarted.TrySetResult();
            if (faults is not null)
            {
                await publishingDone.ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                await Kafka(log, faults, "broker 3 up", f => f.SetBrokerUp(3)).ConfigureAwait(false);
            }
        });

        return schedule;
    }

    /// <summary>Starts every fault at its time from now; the task completes when all of them have ended.</summary>
    public Task RunAsync() => Task.WhenAll(faults.Select(async fault =>
    {
        await Task.Delay(fault.At).ConfigureAwait(false);
        await fault.Run().ConfigureAwait(false);
    }));

    private static Task Kafka(ProgressLog log, IKafkaFaultInjector? faults, string description, Action<IKafkaFaultInjector> inject)
    {
        if (faults is null)
        {
            log.Fault($"skipped, no fault injection on a real cluster: {description}");
            return Task.CompletedTask;
        }

        inject(faults);
        log.Fault(description);
        return Task.CompletedTask;
    }

    private void Add(double atSeconds, Func<Task> run) => faults.Add((TimeSpan.FromSeconds(atSeconds), run));
}
