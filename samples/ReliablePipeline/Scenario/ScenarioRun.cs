using System.Diagnostics;
using ReliablePipeline.Orders;
using ReliablePipeline.Payments;
using ReliablePipeline.Reporting;

namespace ReliablePipeline.Scenario;

/// <summary>One run of the order pipeline under the fault schedule, then the count.</summary>
internal static class ScenarioRun
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CatchUpPatience = TimeSpan.FromSeconds(90);

    public static async Task<RunTally> RunAsync(IPipelineVariant variant, DemoOptions options, OrderBook book, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"=== {variant.Name} run: {variant.Description}");
        var log = new ProgressLog(output);
        var clock = Stopwatch.StartNew();

        using var cluster = DemoCluster.Start(options.BootstrapServers);
        var topics = RunNames.For(variant.Name, sharedCluster: options.BootstrapServers is not null) with { RetryTierCount = variant.RetryTierCount };
        cluster.CreateTopics(topics);
        log.Phase(options.BootstrapServers is null
            ? $"fresh in-process cluster (3 brokers) at {cluster.BootstrapServers}; topics {string.Join(", ", new[] { topics.Orders, topics.DeadLetters, topics.Payments }.Concat(topics.RetryTiers))} ({RunNames.Partitions} partitions, 3 replicas)"
            : $"real cluster {cluster.BootstrapServers} ({cluster.BrokerCount} broker(s)); topics {string.Join(", ", new[] { topics.Orders, topics.DeadLetters, topics.Payments }.Concat(topics.RetryTiers))}");

        var gateway = new PaymentGateway(book);
        var probe = new PipelineProbe();
        var service = new PaymentServiceSupervisor(client => variant.StartPaymentService(cluster.BootstrapServers, topics, client, probe), gateway);
        service.Start();
        log.Phase($"payment service started (consumer group {topics.Group})");

        var published = 0;
        using var stopProgress = new CancellationTokenSource();
        var progress = ReportProgressAsync(log, book.Records.Count, () => Volatile.Read(ref published), probe, gateway, stopProgress.Token);

        var publishingDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = variant.CreatePublisher(cluster.BootstrapServers, topics, probe);
        var rate = book.Records.Count / FaultSchedule.PublishingWindow.TotalSeconds;
        log.Phase($"order service publishing {book.Records.Count} orders over {FaultSchedule.PublishingWindow.TotalSeconds:F0} s ({rate:F0}/s)");
        var schedule = FaultSchedule.Create(cluster, topics, gateway, service, publishingDone.Task, log);
        var faults = schedule.RunAsync();
        await PublishPacedAsync(book, publisher, schedule.FinalOutageStarted, count => Volatile.Write(ref published, count)).ConfigureAwait(false);
        publishingDone.SetResult();
        log.Phase("last order published; the order service shuts down");
        await publisher.CompleteAsync(log).ConfigureAwait(false);

        await faults.ConfigureAwait(false);
        var records = TopicReadBack.Count(cluster.BootstrapServers, topics.Orders);
        log.Phase($"all faults over; waiting for the payment service to work through the {records} records in {topics.Orders}");
        var caughtUp = await WaitUntilCaughtUpAsync(variant, probe, records, service).ConfigureAwait(false);
        if (!caughtUp)
        {
            log.Note($"the payment service did not catch up within {CatchUpPatience.TotalSeconds:F0} s; counting what happened so far");
        }

        await stopProgress.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        log.Phase("stopping the payment service");
        try
        {
            await service.StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.Note($"the payment service stopped with {ex.GetType().Name}: {ex.Message}");
        }

        log.Phase("reading back the topics");
        var tally = TallyCounter.Count(
            variant.Name,
            book,
            TopicReadBack.ReadAll(cluster.BootstrapServers, topics.Orders),
            TopicReadBack.ReadAll(cluster.BootstrapServers, topics.DeadLetters),
            TopicReadBack.ReadAll(cluster.BootstrapServers, topics.Payments),
            gateway,
            probe,
            variant.ErrorsLogged,
            clock.Elapsed,
            caughtUp);
        log.Phase($"{variant.Name} run done in {clock.Elapsed.TotalSeconds:F1} s: lost={tally.Lost} duplicated={tally.Duplicated} processed={tally.Processed} dead-lettered={tally.DeadLettered}");
        return tally;
    }

    /// <summary>
    /// Publishes the orders evenly over the publishing window, paced against the clock so that a slow moment does
    /// not shift the rest; the orders due after the final outage starts wait for it.
    /// </summary>
    private static async Task PublishPacedAsync(OrderBook book, IOrderPublishing publisher, Task finalOutageStarted, Action<int> published)
    {
        var clock = Stopwatch.StartNew();
        var window = FaultSchedule.PublishingWindow;
        for (var i = 0; i < book.Records.Count; i++)
        {
            var due = window * ((double)(i + 1) / book.Records.Count);
            if (due > FaultSchedule.FinalOutageAt)
            {
                await finalOutageStarted.ConfigureAwait(false);
            }

            if (due - clock.Elapsed > TimeSpan.FromMilliseconds(20))
            {
                await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            }

            var record = book.Records[i];
            publisher.Publish(record.OrderId, record.Payload);
            published(i + 1);
        }
    }

    private static async Task<bool> WaitUntilCaughtUpAsync(IPipelineVariant variant, PipelineProbe probe, long records, PaymentServiceSupervisor service)
    {
        var deadline = Stopwatch.StartNew();
        var confirmations = 0;
        while (deadline.Elapsed < CatchUpPatience)
        {
            // Twice in a row, 250 ms apart: work that was just handed off gets a moment to show up.
            confirmations = variant.IsCaughtUp(probe, records, service.Payments) ? confirmations + 1 : 0;
            if (confirmations == 2)
            {
                return true;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        return false;
    }

    private static async Task ReportProgressAsync(ProgressLog log, int orders, Func<int> published, PipelineProbe probe, PaymentGateway gateway, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ProgressEvery, stop).ConfigureAwait(false);
                log.Progress($"published {published()}/{orders} · consumer received {probe.ReceivedRecords} · finished {probe.SettledRecords} · charged {gateway.ChargedOrders} · gateway calls {gateway.Calls} ({gateway.Failures} failed)");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
