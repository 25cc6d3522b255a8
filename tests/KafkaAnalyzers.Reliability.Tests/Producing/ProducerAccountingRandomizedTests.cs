using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Diagnostics;
using KafkaAnalyzers.Reliability.Producing;
using KafkaAnalyzers.Reliability.Testing;
using KafkaAnalyzers.Reliability.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Producing;

/// <summary>
/// Issue 14's proof that no message escapes <see cref="DeliveryTrackingProducer{TKey,TValue}"/>'s accounting.
/// Rounds of random <c>Produce</c>/<c>ProduceAsync</c> calls (some cancelled before the call, some at a random
/// moment after), on a tiny queue with a short queue-full timeout, while brokers go down and up and permanent
/// (authorization, message size) and transient (not enough replicas, with retries nearly exhausted) errors are
/// injected; handlers that accept, re-produce or throw; a sink that sometimes throws; metric and span listeners
/// that throw. Every message must end in exactly one place: delivered (read back from the topic), the failure
/// handler, the sink, <c>UnhandledFailures</c>, the awaiting caller's <see cref="DeliveryFailedException"/>, or an
/// exception to its caller saying it was never queued; the producer's counters and the disposal exception's
/// counts must agree.
/// </summary>
/// <remarks>
/// CI runs a few rounds with a fixed seed. <c>PRODUCER_ACCOUNTING_LONG=1</c> runs the long mode (40 longer
/// rounds, a fresh seed each run); <c>PRODUCER_ACCOUNTING_SEED=n</c> sets the seed and
/// <c>PRODUCER_ACCOUNTING_ROUNDS=n</c> the number of rounds. The seed only fixes the decisions, not the timing.
/// </remarks>
public sealed class ProducerAccountingRandomizedTests(ITestOutputHelper output) : IDisposable
{
    public const string LongModeVariable = "PRODUCER_ACCOUNTING_LONG";
    public const string SeedVariable = "PRODUCER_ACCOUNTING_SEED";
    public const string RoundsVariable = "PRODUCER_ACCOUNTING_ROUNDS";
    private const int CiSeed = 20261214;
    private const int Partitions = 3;
    private readonly InProcessKafkaCluster cluster = InProcessKafkaCluster.Start(3);
    private readonly string prefix = $"acct-{Guid.NewGuid():N}"[..17];

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Every_message_ends_in_exactly_one_place()
    {
        var longMode = Environment.GetEnvironmentVariable(LongModeVariable) is "1" or "true";
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var chosenSeed) ? chosenSeed : longMode ? Random.Shared.Next() : CiSeed;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable(RoundsVariable), out var chosenRounds) ? chosenRounds : longMode ? 40 : 4;
        var roundBudget = longMode ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(2.5);
        var elapsed = Stopwatch.StartNew();
        var ledger = new Ledger();
        var listeners = new ThrowingListeners(prefix, seed);
        var logged = new ListenerFailureLog();
        var random = new Random(seed);

        using (listeners.Start())
        {
            for (var index = 0; index < rounds; index++)
            {
                var round = new Round(index, random.Next(), prefix, random);
                cluster.CreateTopic(round.Allowed, Partitions, replicationFactor: 3);
                cluster.CreateTopic(round.Denied, Partitions, replicationFactor: 3);
                cluster.SetTopicError(round.Denied, ErrorCode.TopicAuthorizationFailed);
                await RunRoundAsync(round, ledger, logged, roundBudget);
            }
        }

        cluster.SetBrokerUp(-1);
        foreach (var topic in ledger.AllowedTopics)
        {
            foreach (var result in TopicReader.ReadToEnd(cluster.BootstrapServers, topic, Partitions, TimeSpan.FromMinutes(2)))
            {
                ledger.ReadBack(Deserializers.Int64.Deserialize(result.Message.Value, false, SerializationContext.Empty), result.TopicPartitionOffset);
            }
        }

        var summary = ledger.Account();
        output.WriteLine(
            $"producer-accounting: messages={summary.Messages} delivered={summary.Delivered} handler={summary.Handler} sink={summary.Sink} " +
            $"unhandled={summary.Unhandled} not-queued={summary.NotQueued} caller-failed={summary.CallerFailed} unaccounted={summary.Unaccounted} " +
            $"(seed {seed}, {rounds} rounds, {elapsed.Elapsed.TotalSeconds:F1} s, {listeners.Throws} listener exceptions)");

        Assert.True(ledger.Violations.IsEmpty, $"{ledger.Violations.Count} accounting violation(s):{Environment.NewLine}{string.Join(Environment.NewLine, ledger.Violations.Take(30))}");
        Assert.Equal(0, summary.Unaccounted);
        Assert.Equal(listeners.Throws, logged.Count);
        Assert.True(
            summary.Delivered > 0 && summary.Handler > 0 && summary.NotQueued > 0 && listeners.Throws > 0,
            "the run did not exercise delivery, the handler, refusals and throwing listeners: it proves nothing");
    }

    private async Task RunRoundAsync(Round round, Ledger ledger, ListenerFailureLog logged, TimeSpan budget)
    {
        var config = KafkaPresets.CriticalProducer(cluster.BootstrapServers);
        // A tiny queue in half the rounds (waits for room, refusals, the handler's hand-off), a small one otherwise.
        config.QueueBufferingMaxMessages = round.Next(100) < 50 ? round.Next(1, 9) : round.Next(20, 200);
        config.MessageSendMaxRetries = round.Next(1, 4);
        config.RetryBackoffMs = 20;
        config.MessageTimeoutMs = 10_000;
        config.RequestTimeoutMs = 5_000;
        config.ReconnectBackoffMaxMs = 200;

        // One produce request in flight per broker. librdkafka's mock checks idempotent sequence numbers only for
        // transactional producers, so with several in flight, a request failed by an injected error can be
        // overtaken by the next one, which the mock appends. librdkafka then acknowledges the overtaken messages
        // implicitly (success, offset unknown) because a later one was acknowledged, as a real broker would
        // guarantee, and the mock never wrote them. The long mode showed it: 2 such reports in 21,941 deliveries,
        // both missing from the topic.
        config.MaxInFlight = 1;
        var disposeWhileDown = round.Next(100) < 30;
        var options = new DeliveryTrackingOptions<string, long>
        {
            QueueFullTimeout = TimeSpan.FromMilliseconds(round.Next(20, 1000)),
            DisposeFlushTimeout = disposeWhileDown ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(30),
            OnDeliveryFailed = failure => round.OnFailed(failure, ledger),
            FallbackSink = round.Next(100) < 50 ? new Sink(round, ledger) : null,
            Logger = logged,
        };
        round.Producer = new DeliveryTrackingProducer<string, long>(config, options);
        var allowFatal = round.Next(100) < 15;

        using var stopCallers = new CancellationTokenSource(budget);
        using var stopChaos = new CancellationTokenSource();
        var chaos = Task.Run(() => ChaosAsync(round, allowFatal, stopChaos.Token));
        var callers = Enumerable.Range(0, 3).Select(caller => Task.Run(() => CallerAsync(round, caller, ledger, stopCallers.Token))).ToList();
        await Task.WhenAll(callers);
        await stopChaos.CancelAsync();
        await chaos;
        cluster.ClearRequestErrors(KafkaApi.Produce);
        await Task.Delay(5);
        cluster.SetBrokerUp(-1);

        if (disposeWhileDown)
        {
            await Task.Delay(5);
            cluster.SetBrokerDown(-1);
        }
        else
        {
            try
            {
                await round.Producer.FlushAsync(TimeSpan.FromSeconds(60));
            }
            catch (FlushTimeoutException)
            {
                // Whatever is left is failed at disposal, and accounted there.
            }
        }

        var unconfirmedAtDisposal = 0;
        var unhandledAtDisposal = 0;
        try
        {
            await round.Producer.DisposeAsync();
        }
        catch (UndeliveredMessagesException report)
        {
            unconfirmedAtDisposal = report.UnconfirmedAtDisposal;
            unhandledAtDisposal = report.UnhandledFailures;
        }

        try
        {
            await Task.WhenAll(round.Awaited).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            ledger.Violate($"round {round.Index}: {round.Awaited.Count(task => !task.IsCompleted)} awaited ProduceAsync call(s) never completed");
        }

        foreach (var failure in round.Producer.UnhandledFailures)
        {
            ledger.Fail(Place.Unhandled, failure);
        }

        if (disposeWhileDown)
        {
            await Task.Delay(5);
            cluster.SetBrokerUp(-1);
        }

        ledger.CheckRound(round, unconfirmedAtDisposal, unhandledAtDisposal);
    }

    private static async Task CallerAsync(Round round, int caller, Ledger ledger, CancellationToken stop)
    {
        var random = new Random(round.Seed + caller);
        for (var call = 0; call < 400 && !stop.IsCancellationRequested; call++)
        {
            var topic = random.Next(100) < 15 ? round.Denied : round.Allowed;
            var id = round.NewMessage(ledger, topic);
            var message = new Message<string, long> { Key = "k" + random.Next(8), Value = id };
            var kind = random.Next(100);
            if (kind < 50)
            {
                ledger.Kind(id, "Produce");
                try
                {
                    round.Producer.Produce(topic, message);
                }
                catch (Exception)
                {
                    ledger.NotQueued(id);
                }
            }
            else
            {
                CancellationTokenSource? cancelAfter = null;
                var token = CancellationToken.None;
                if (kind < 55)
                {
                    token = new CancellationToken(canceled: true);
                    ledger.Kind(id, "ProduceAsync, token already cancelled");
                }
                else if (kind < 80)
                {
                    var after = random.Next(0, 60);
                    cancelAfter = new CancellationTokenSource(TimeSpan.FromMilliseconds(after));
                    token = cancelAfter.Token;
                    ledger.Kind(id, $"ProduceAsync, token cancelled after {after} ms");
                }
                else
                {
                    ledger.Kind(id, "ProduceAsync");
                }

                round.Awaited.Add(ObserveAsync(ledger, id, round.Producer.ProduceAsync(topic, message, token), cancelAfter));
            }

            if (random.Next(100) < 30)
            {
                await Task.Delay(random.Next(0, 15), CancellationToken.None);
            }
        }
    }

    private static async Task ObserveAsync(Ledger ledger, long id, Task<DeliveryResult<string, long>> produce, CancellationTokenSource? cancelAfter)
    {
        try
        {
            ledger.CallerDelivered(id, await produce);
        }
        catch (ProduceCanceledException cancelled) when (!cancelled.MessageQueued)
        {
            ledger.NotQueued(id);
        }
        catch (ProduceCanceledException)
        {
            ledger.CallerSaw(id, "ProduceCanceledException (queued)");
        }
        catch (DeliveryFailedException<string, long> failed)
        {
            ledger.Fail(Place.Caller, failed.Failure);
        }
        catch (OperationCanceledException other)
        {
            // Not a ProduceCanceledException: the documented meaning of a cancellation before this issue (queued,
            // only the wait stopped), so the outcome must show up elsewhere.
            ledger.CallerSaw(id, other.GetType().Name);
        }
        catch (Exception other)
        {
            ledger.CallerSaw(id, other.GetType().Name);
            ledger.NotQueued(id);
        }
        finally
        {
            cancelAfter?.Dispose();
        }
    }

    private async Task ChaosAsync(Round round, bool allowFatal, CancellationToken stop)
    {
        var random = new Random(round.Seed ^ 0x5eed);
        while (!stop.IsCancellationRequested)
        {
            var action = random.Next(100);
            if (action < 30)
            {
                var broker = random.Next(100) < 50 ? -1 : random.Next(1, cluster.BrokerCount + 1);
                cluster.SetBrokerDown(broker);
                await Task.Delay(random.Next(100, 700), CancellationToken.None);
                cluster.SetBrokerUp(broker);
            }
            else if (action < 55)
            {
                cluster.PushRequestErrors(KafkaApi.Produce, [.. Enumerable.Repeat(ErrorCode.NotEnoughReplicas, random.Next(1, 4))]);
            }
            else if (action < 65)
            {
                cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.MsgSizeTooLarge);
            }
            else if (action < 67 && allowFatal)
            {
                cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.OutOfOrderSequenceNumber);
            }

            await Task.Delay(random.Next(30, 200), CancellationToken.None);
        }
    }

    private enum Place
    {
        Handler,
        Sink,
        Unhandled,
        Caller,
    }

    private sealed record Failure(Place Place, DeliveryFailure<string, long> Details);

    private sealed record Summary(int Messages, int Delivered, int Handler, int Sink, int Unhandled, int NotQueued, int CallerFailed, int Unaccounted);

    /// <summary>One producer's life: its topics, its random decisions and the messages it was given.</summary>
    private sealed class Round(int index, int seed, string prefix, Random parent)
    {
        private readonly Random random = new(seed);
        private readonly ConcurrentBag<long> ids = [];

        public int Index { get; } = index;

        public int Seed { get; } = seed;

        public string Allowed { get; } = $"{prefix}-{index}-ok-{parent.Next():x}";

        public string Denied { get; } = $"{prefix}-{index}-denied-{parent.Next():x}";

        public DeliveryTrackingProducer<string, long> Producer { get; set; } = null!;

        public ConcurrentBag<Task> Awaited { get; } = [];

        public IEnumerable<long> Ids => ids;

        public int Next(int maxValue) => Next(0, maxValue);

        public int Next(int minValue, int maxValue)
        {
            lock (random)
            {
                return random.Next(minValue, maxValue);
            }
        }

        public long NewMessage(Ledger ledger, string topic)
        {
            var id = ledger.NewMessage(topic, topic == Allowed);
            ids.Add(id);
            return id;
        }

        /// <summary>The failure handler: refuses (throws) 15%, else takes the failure and re-produces a copy 30% of the time.</summary>
        public void OnFailed(DeliveryFailure<string, long> failure, Ledger ledger)
        {
            var decision = Next(100);
            if (decision < 15)
            {
                throw new IOException("the handler refuses this failure");
            }

            ledger.Fail(Place.Handler, failure);
            if (decision < 45)
            {
                var child = NewMessage(ledger, failure.Topic);
                ledger.Kind(child, $"Produce from the failure handler (copy of {failure.Message.Value})");
                try
                {
                    Producer.Produce(failure.Topic, new Message<string, long> { Key = failure.Message.Key, Value = child });
                }
                catch (Exception)
                {
                    ledger.NotQueued(child);
                }
            }
        }
    }

    private sealed class Sink(Round round, Ledger ledger) : IUndeliveredMessageSink<string, long>
    {
        public async Task StoreAsync(DeliveryFailure<string, long> failure, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (round.Next(100) < 20)
            {
                throw new IOException("the sink refuses this failure");
            }

            ledger.Fail(Place.Sink, failure);
        }
    }

    /// <summary>Where each message ended, as its callers, handlers, sink and the topic saw it.</summary>
    private sealed class Ledger
    {
        private readonly ConcurrentDictionary<long, string> topics = new();
        private readonly ConcurrentDictionary<long, byte> notQueued = new();
        private readonly ConcurrentDictionary<long, DeliveryResult<string, long>> callerDelivered = new();
        private readonly ConcurrentDictionary<long, string> kinds = new();
        private readonly ConcurrentDictionary<long, string> callerSaw = new();
        private readonly ConcurrentDictionary<TopicPartitionOffset, long> positions = new();
        private readonly ConcurrentDictionary<long, ConcurrentQueue<Failure>> failures = new();
        private readonly ConcurrentDictionary<long, int> readBack = new();
        private readonly ConcurrentDictionary<string, byte> allowedTopics = new();
        private long lastId;

        public ConcurrentQueue<string> Violations { get; } = new();

        public IEnumerable<string> AllowedTopics => allowedTopics.Keys;

        public long NewMessage(string topic, bool readable)
        {
            var id = Interlocked.Increment(ref lastId);
            topics[id] = topic;
            if (readable)
            {
                allowedTopics.TryAdd(topic, 0);
            }

            return id;
        }

        public void NotQueued(long id)
        {
            if (!notQueued.TryAdd(id, 0))
            {
                Violate($"message {id}: told twice that it was not queued");
            }
        }

        public void CallerDelivered(long id, DeliveryResult<string, long> result) => callerDelivered[id] = result;

        public void Kind(long id, string kind) => kinds[id] = kind;

        public void CallerSaw(long id, string what) => callerSaw[id] = what;

        public void Fail(Place place, DeliveryFailure<string, long> failure) =>
            failures.GetOrAdd(failure.Message.Value, _ => new()).Enqueue(new Failure(place, failure));

        public void ReadBack(long id, TopicPartitionOffset position)
        {
            readBack.AddOrUpdate(id, 1, (_, count) => count + 1);
            positions[position] = id;
        }

        public void Violate(string violation) => Violations.Enqueue(violation);

        /// <summary>The producer's counters and disposal report against what the round's messages went through.</summary>
        public void CheckRound(Round round, int unconfirmedAtDisposal, int unhandledAtDisposal)
        {
            var ids = round.Ids.ToList();
            var accepted = ids.Count(id => !notQueued.ContainsKey(id));
            var failed = ids.SelectMany(id => failures.TryGetValue(id, out var list) ? list : Enumerable.Empty<Failure>()).ToList();
            var producer = round.Producer;
            Check(producer.Produced == accepted, $"Produced {producer.Produced}, but {accepted} messages were not refused");
            Check(producer.Failed == failed.Count, $"Failed {producer.Failed}, but {failed.Count} failures reached a handler, sink, caller or UnhandledFailures");
            Check(producer.Delivered + producer.Failed == producer.Produced && producer.Pending == 0, $"Delivered {producer.Delivered} + Failed {producer.Failed} != Produced {producer.Produced} (Pending {producer.Pending})");
            Check(unconfirmedAtDisposal == failed.Count(failure => failure.Details.UnconfirmedAtDisposal), $"the disposal exception counted {unconfirmedAtDisposal} unconfirmed, {failed.Count(failure => failure.Details.UnconfirmedAtDisposal)} were handed over");
            Check(unhandledAtDisposal == producer.UnhandledFailures.Count, $"the disposal exception counted {unhandledAtDisposal} unhandled, UnhandledFailures has {producer.UnhandledFailures.Count}");

            void Check(bool condition, string violation)
            {
                if (!condition)
                {
                    Violate($"round {round.Index}: {violation}");
                }
            }
        }

        public Summary Account()
        {
            int delivered = 0, handler = 0, sink = 0, unhandled = 0, refused = 0, callerFailed = 0, unaccounted = 0;
            foreach (var (id, topic) in topics.OrderBy(pair => pair.Key))
            {
                var what = $"message {id} ({topic}; {kinds.GetValueOrDefault(id, "?")}{(callerSaw.TryGetValue(id, out var saw) ? "; its caller got " + saw : "")})";
                var copies = readBack.GetValueOrDefault(id);
                var reported = failures.TryGetValue(id, out var list) ? list.ToList() : [];
                var wasRefused = notQueued.ContainsKey(id);
                if (copies > 1)
                {
                    Violate($"{what}: {copies} copies in the topic");
                }

                if (reported.Count > 1)
                {
                    Violate($"{what}: failure reported {reported.Count} times ({string.Join(", ", reported.Select(failure => failure.Place))})");
                }

                if (wasRefused && (reported.Count > 0 || copies > 0 || callerDelivered.ContainsKey(id)))
                {
                    Violate($"{what}: its caller was told it was not queued, yet it was {(copies > 0 ? "written to the topic" : reported.Count > 0 ? "reported failed to " + reported[0].Place : "delivered to its caller")}");
                }

                if (reported.Count > 0 && copies > 0 && !reported[0].Details.MayHaveBeenPersisted)
                {
                    Violate($"{what}: reported {reported[0].Details.Error.Code} NotPersisted to {reported[0].Place}, yet it is in the topic");
                }

                if (callerDelivered.TryGetValue(id, out var result) && (copies == 0 || reported.Count > 0))
                {
                    var there = positions.TryGetValue(result.TopicPartitionOffset, out var other) ? $"message {other}" : "nothing";
                    Violate($"{what}: its caller got a delivery result ({result.TopicPartitionOffset}, {result.Status}), yet it is {(copies == 0 ? $"not in the topic ({there} is at that position)" : "also reported failed")}");
                }

                if (wasRefused)
                {
                    refused++;
                }
                else if (reported.Count > 0)
                {
                    switch (reported[0].Place)
                    {
                        case Place.Handler: handler++; break;
                        case Place.Sink: sink++; break;
                        case Place.Unhandled: unhandled++; break;
                        default: callerFailed++; break;
                    }
                }
                else if (copies > 0)
                {
                    delivered++;
                }
                else
                {
                    unaccounted++;
                    Violate($"{what}: unaccounted: not delivered, not reported failed, not refused");
                }
            }

            return new Summary(topics.Count, delivered, handler, sink, unhandled, refused, callerFailed, unaccounted);
        }
    }

    /// <summary>
    /// Span and metric listeners that throw, now and then, for this test's topics only (listeners are
    /// process-wide; other tests' spans and measurements are left alone).
    /// </summary>
    private sealed class ThrowingListeners(string prefix, int seed)
    {
        private readonly Random random = new(seed ^ 0x11573);
        private int throws;

        public int Throws => Volatile.Read(ref throws);

        public IDisposable Start()
        {
            var activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ReliabilityTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = activity => MaybeThrow(activity.OperationName, "span start"),
                ActivityStopped = activity => MaybeThrow(activity.OperationName, "span stop"),
            };
            ActivitySource.AddActivityListener(activities);
            var metrics = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == ReliabilityTelemetry.Name)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            metrics.SetMeasurementEventCallback<long>((_, _, tags, _) => MaybeThrow(TopicOf(tags), "measurement"));
            metrics.SetMeasurementEventCallback<double>((_, _, tags, _) => MaybeThrow(TopicOf(tags), "measurement"));
            metrics.Start();
            return new Both(activities, metrics);
        }

        private static string? TopicOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ReliabilityInstruments.TopicTag)
                {
                    return tag.Value as string;
                }
            }

            return null;
        }

        private void MaybeThrow(string? name, string where)
        {
            if (name is null || !name.Contains(prefix, StringComparison.Ordinal))
            {
                return;
            }

            bool fail;
            lock (random)
            {
                fail = random.Next(100) < 5;
            }

            if (fail)
            {
                Interlocked.Increment(ref throws);
                throw new ListenerFailureException($"a telemetry listener broke on a {where}");
            }
        }

        private sealed class Both(IDisposable first, IDisposable second) : IDisposable
        {
            public void Dispose()
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }

    private sealed class ListenerFailureException(string message) : Exception(message);

    /// <summary>The producers' logger: counts the listener failures they logged.</summary>
    private sealed class ListenerFailureLog : ILogger
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is ListenerFailureException)
            {
                Interlocked.Increment(ref count);
            }
        }
    }
}
