using Confluent.Kafka;

namespace KafkaAnalyzers.Reliability.Consuming;

// How the loop ends: graceful shutdown, simulated crash, failures.
public sealed partial class ReliableConsumer<TKey, TValue>
{
    private void ShutDown(IConsumer<byte[], byte[]> kafka)
    {
        try
        {
            ConsumerLog.Stopping(logger, scheduler.InFlight);
            while (scheduler.InFlight > 0 && !drainDeadline.IsCancellationRequested && Volatile.Read(ref fault) is null && !abortRequested)
            {
                PollOnce(kafka, dispatch: false);
            }

            if (abortRequested)
            {
                Abort(kafka);
                return;
            }

            if (scheduler.InFlight > 0)
            {
                ConsumerLog.ShutdownAbandoned(logger, scheduler.InFlight);
            }

            AbandonAllWork();
            StoreCompletedOffsets(kafka);
            if (Volatile.Read(ref fault) is not KafkaException { Error.IsFatal: true })
            {
                Commit(kafka, assigned.All, "shutdown");
            }

            kafka.Close();
            ConsumerLog.Closed(logger, groupId);
        }
        catch (Exception ex)
        {
            ConsumerLog.CloseFailed(logger, ex);
        }
        finally
        {
            kafka.Dispose();
            pauser.Forget();
            StopRetryTopics();
            Finish();
        }
    }

    private void Abort(IConsumer<byte[], byte[]> kafka)
    {
        try
        {
            ConsumerLog.Aborted(logger);
            AbandonAllWork();
            kafka.Dispose();
        }
        catch (Exception ex)
        {
            ConsumerLog.CloseFailed(logger, ex);
        }
        finally
        {
            pauser.Forget();
            StopRetryTopics();
            Finish();
        }
    }

    private void Finish()
    {
        HealthFinished();
        if (Volatile.Read(ref fault) is { } failure)
        {
            completion.TrySetException(failure);
        }
        else
        {
            completion.TrySetResult();
        }
    }

    /// <summary>Records why the loop stops (the first reason wins) and stops processing at once: nothing after a failure may run.</summary>
    private void Fail(Exception exception, string reason)
    {
        if (Interlocked.CompareExchange(ref fault, exception, null) is null)
        {
            AbandonAllWork();
            if (exception is KafkaException { Error.IsFatal: true } fatal)
            {
                ConsumerLog.Fatal(logger, fatal.Error.Code, fatal.Error.Reason);
            }
            else
            {
                ConsumerLog.Faulted(logger, exception, reason);
            }
        }
    }

    /// <summary>
    /// Cancels every in-flight message: each is abandoned (not stored, delivered again later). The
    /// cancellation callbacks (the handlers' own registrations among them) run on the thread pool,
    /// never on the poll thread.
    /// </summary>
    private void AbandonAllWork()
    {
        var cancelled = abandonAll.CancelAsync();
        if (!cancelled.IsCompletedSuccessfully)
        {
            _ = cancelled.ContinueWith(
                task => ConsumerLog.ProcessingBug(logger, task.Exception!),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }
    }
}
