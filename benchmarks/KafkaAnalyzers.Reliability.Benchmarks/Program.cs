using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Benchmarks;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Testing;

// Runtime throughput: the library's producer and consume loop against raw Confluent.Kafka doing the same
// work, on the in-process cluster, in one process run. Each measurement is repeated; the median is reported
// and the ratios are library / raw (messages/s: above 1 is faster; bytes/message: above 1 allocates more).
// Usage: dotnet run -c Release --project benchmarks/KafkaAnalyzers.Reliability.Benchmarks [messages] [repetitions] [keyed messages]
//        dotnet run -c Release --project benchmarks/KafkaAnalyzers.Reliability.Benchmarks producer [messages] [repetitions]
//        dotnet run -c Release --project benchmarks/KafkaAnalyzers.Reliability.Benchmarks produce-shapes [messages] [repetitions]
//        dotnet run -c Release --project benchmarks/KafkaAnalyzers.Reliability.Benchmarks producer-warm [messages] [repetitions]
//        dotnet run -c Release --project benchmarks/KafkaAnalyzers.Reliability.Benchmarks producer-side raw|tracking|both [messages] [repetitions]
// The producer form runs only the producer comparison (for working on the producer's hot path: more repetitions
// in the same time) and ends with the producer's two ratios. producer-warm does the same with producers that have
// already sent one unmeasured batch of the same size (see ProducerRuns): it ends with producer_warm/raw=… instead,
// so that the figure of a long-lived producer is never mistaken for the default one.
// producer-side runs one side only, with warm producers (a profiling aid, see ProducerSide).
// The second form compares only the produce shapes of KAFKA010 (await ProduceAsync one message at a time in a loop)
// with raw Produce + handler and with batches awaited together; it is short because the awaited loop is slow.
// librdkafka's mock keeps at most 5 MiB (or 100,000 message sets) per partition and deletes the oldest beyond
// that, like retention: 12 partitions keep a few hundred thousand small messages whole.
const int Partitions = 12;
const int WarmUpMessages = 20_000;
if (args.Length > 0 && args[0] == "produce-shapes")
{
    await ProduceShapes.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
        Partitions);
    return;
}

if (args.Length > 1 && args[0] == "producer-side")
{
    await ProducerSide.RunAsync(
        args[1],
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300_000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5,
        Partitions);
    return;
}

var warmProducers = args.Length > 0 && args[0] == "producer-warm";
var producerOnly = warmProducers || (args.Length > 0 && args[0] == "producer");
if (producerOnly)
{
    args = args[1..];
}

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300_000;
var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var keyedMessages = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000;
const int KeyedWorkers = 16;
const int KeyedKeys = 64;
var simulatedIo = TimeSpan.FromMilliseconds(5);

Console.WriteLine($"Runtime throughput: {messages:N0} messages of 16 + 100 bytes per run, {repetitions} runs each (+1 warm-up of {WarmUpMessages:N0}), median.");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average before: {LoadAverage()}");
Console.WriteLine($"Producers: KafkaPresets.CriticalProducer (acks=all, idempotence, linger 5 ms) with a local queue that holds the whole run, {Partitions} partitions, 3 replicas, a fresh cluster per run.");
if (warmProducers)
{
    Console.WriteLine($"Warm producers: each producer first sends {messages:N0} messages that are not measured.");
}

Console.WriteLine("Consumers: KafkaPresets.AtLeastOnceConsumer, synchronous no-op handler, messages already in the topic, timed from the first message.");
Console.WriteLine($"Keyed: ReliableConsumer, handler awaiting Task.Delay({simulatedIo.TotalMilliseconds} ms), {keyedMessages:N0} messages over {KeyedKeys} keys, MaxConcurrency {KeyedWorkers} vs 1 (sequential).");
Console.WriteLine();

var producer = new Dictionary<string, List<Measurement>> { ["raw Produce + handler"] = [], ["DeliveryTrackingProducer"] = [] };
await ProduceAsync(WarmUpMessages, raw: true);
await ProduceAsync(WarmUpMessages, raw: false);
for (var run = 1; run <= repetitions; run++)
{
    // Alternate which goes first, so a drift in machine load does not favour one side.
    foreach (var raw in run % 2 == 1 ? new[] { true, false } : [false, true])
    {
        var measurement = await ProduceAsync(messages, raw, warmProducers);
        producer[raw ? "raw Produce + handler" : "DeliveryTrackingProducer"].Add(measurement);
        Print($"produce run {run}", raw ? "raw Produce + handler" : "DeliveryTrackingProducer", measurement);
    }
}

if (producerOnly)
{
    Console.WriteLine();
    Console.WriteLine($"Medians over {repetitions} runs:");
    var producerOnlyRatio = Summarize("producer", producer, "raw Produce + handler", "DeliveryTrackingProducer");
    Console.WriteLine($"Load average after: {LoadAverage()}");
    Console.WriteLine(warmProducers
        ? string.Create(CultureInfo.InvariantCulture, $"producer_warm/raw={producerOnlyRatio.Throughput:F2} producer_warm_alloc/raw={producerOnlyRatio.Allocation:F2}")
        : string.Create(CultureInfo.InvariantCulture, $"producer/raw={producerOnlyRatio.Throughput:F2} producer_alloc/raw={producerOnlyRatio.Allocation:F2}"));
    return;
}

// The third variant is a diagnosis, not a configuration to recommend: with MaxInFlight above the message count the
// consumer never pauses for backpressure, which isolates the cost of pausing (librdkafka drops its prefetched
// messages on pause and fetches them again on resume) from the per-message cost of the loop.
const string RawConsumer = "raw Consume + StoreOffset";
const string Reliable = "ReliableConsumer";
var reliableUnbounded = $"ReliableConsumer MaxInFlight {messages / 1000}k";
const string KeyedSequential = "keyed, 1 worker (sequential)";
const string KeyedParallel = "keyed, 16 workers";
var consumer = new Dictionary<string, List<Measurement>> { [RawConsumer] = [], [Reliable] = [], [reliableUnbounded] = [], [KeyedSequential] = [], [KeyedParallel] = [] };
using (var cluster = InProcessKafkaCluster.Start(3))
{
    cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
    cluster.CreateTopic("consume-bench", Partitions, replicationFactor: 3);
    Fill(cluster.BootstrapServers, "consume-bench", messages, keys: 1000);
    ConsumerRuns.Raw(cluster.BootstrapServers, "consume-bench", WarmUpMessages);
    await ConsumerRuns.ReliableAsync(cluster.BootstrapServers, "consume-bench", WarmUpMessages);
    for (var run = 1; run <= repetitions; run++)
    {
        var order = new[] { RawConsumer, Reliable, reliableUnbounded };
        foreach (var name in run % 2 == 1 ? order : order.Reverse())
        {
            var measurement = name switch
            {
                RawConsumer => ConsumerRuns.Raw(cluster.BootstrapServers, "consume-bench", messages),
                Reliable => await ConsumerRuns.ReliableAsync(cluster.BootstrapServers, "consume-bench", messages),
                _ => await ConsumerRuns.ReliableAsync(cluster.BootstrapServers, "consume-bench", messages, maxInFlight: messages),
            };
            consumer[name].Add(measurement);
            Print($"consume run {run}", name, measurement);
        }
    }

    // Keyed parallelism: the same consumer with a handler that waits on I/O, 16 workers against one. Ordering
    // per key caps the parallel side at the number of keys with work ready, so 64 keys over 16 workers.
    cluster.CreateTopic("keyed-bench", Partitions, replicationFactor: 3);
    Fill(cluster.BootstrapServers, "keyed-bench", keyedMessages, keys: KeyedKeys);
    await ConsumerRuns.ReliableAsync(cluster.BootstrapServers, "keyed-bench", Math.Min(keyedMessages, 200), maxConcurrency: KeyedWorkers, simulatedIo: simulatedIo);
    for (var run = 1; run <= repetitions; run++)
    {
        foreach (var workers in run % 2 == 1 ? new[] { 1, KeyedWorkers } : [KeyedWorkers, 1])
        {
            var name = workers == 1 ? KeyedSequential : KeyedParallel;
            var measurement = await ConsumerRuns.ReliableAsync(cluster.BootstrapServers, "keyed-bench", keyedMessages, maxConcurrency: workers, simulatedIo: simulatedIo);
            consumer[name].Add(measurement);
            Print($"keyed run {run}", name, measurement);
        }
    }
}

Console.WriteLine();
Console.WriteLine($"Medians over {repetitions} runs:");
var producerRatio = Summarize("producer", producer, "raw Produce + handler", "DeliveryTrackingProducer");
var consumerRatio = Summarize("consumer", consumer, RawConsumer, Reliable);
Summarize("consumer", consumer, RawConsumer, reliableUnbounded);
var keyedRatio = Summarize("keyed", consumer, KeyedSequential, KeyedParallel);
Console.WriteLine($"Load average after: {LoadAverage()}");

// The targets of issue 13, last, on one line: producer >= 0.95 and alloc <= 1.2; consume loop >= 0.9 and alloc <= 1.3;
// keyed >= 10.
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"producer/raw={producerRatio.Throughput:F2} consumeloop/raw={consumerRatio.Throughput:F2} keyed/sequential={keyedRatio.Throughput:F2} producer_alloc/raw={producerRatio.Allocation:F2} consumeloop_alloc/raw={consumerRatio.Allocation:F2}"));
return;

static async Task<Measurement> ProduceAsync(int count, bool raw, bool warm = false)
{
    using var cluster = InProcessKafkaCluster.Start(3);
    cluster.CreateTopic("produce-bench", Partitions, replicationFactor: 3);
    return raw
        ? ProducerRuns.Raw(cluster.BootstrapServers, "produce-bench", count, warm)
        : await ProducerRuns.TrackingAsync(cluster.BootstrapServers, "produce-bench", count, warm);
}

static void Fill(string bootstrapServers, string topic, int count, int keys)
{
    using var producer = new ProducerBuilder<byte[], byte[]>(KafkaPresets.CriticalProducer(bootstrapServers)).Build();
    var value = new byte[100];
    for (var i = 0; i < count; i++)
    {
        var key = System.Text.Encoding.UTF8.GetBytes($"customer-{i % keys:D7}");
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value });
                break;
            }
            catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
            {
                Thread.Sleep(1);
            }
        }
    }

    if (producer.Flush(TimeSpan.FromMinutes(2)) > 0)
    {
        throw new InvalidOperationException($"Could not fill '{topic}' with {count} messages.");
    }

    using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "fill-check" }).Build();
    var readable = Enumerable.Range(0, Partitions)
        .Select(partition => reader.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(30)))
        .Sum(watermarks => watermarks.High.Value - watermarks.Low.Value);
    if (readable != count)
    {
        throw new InvalidOperationException($"'{topic}' holds {readable} readable messages, not {count}: the mock cluster dropped the oldest (more than 5 MiB per partition).");
    }
}

static void Print(string run, string name, Measurement measurement) =>
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"  {run,-14} {name,-32} {measurement.MessagesPerSecond,12:N0} msg/s  {measurement.BytesPerMessage,8:N0} B/msg  {measurement.CpuMicrosecondsPerMessage,6:F2} CPU µs/msg  ({measurement.Elapsed.TotalSeconds:F2} s; GC {measurement.Gen0}/{measurement.Gen1}/{measurement.Gen2}, paused {measurement.GcPause.TotalMilliseconds:F0} ms, promoted {measurement.PromotedBytesPerMessage:F0} B/msg, {measurement.PageFaultsPerThousandMessages:F0} page faults/1k msg)"));

static (double Throughput, double Allocation) Summarize(string what, Dictionary<string, List<Measurement>> results, string rawName, string libraryName)
{
    var raw = results[rawName];
    var library = results[libraryName];
    var rawRate = Measurement.Median(raw.Select(m => m.MessagesPerSecond));
    var libraryRate = Measurement.Median(library.Select(m => m.MessagesPerSecond));
    var rawBytes = Measurement.Median(raw.Select(m => m.BytesPerMessage));
    var libraryBytes = Measurement.Median(library.Select(m => m.BytesPerMessage));
    var rawCpu = Measurement.Median(raw.Select(m => m.CpuMicrosecondsPerMessage));
    var libraryCpu = Measurement.Median(library.Select(m => m.CpuMicrosecondsPerMessage));
    var rawPause = Measurement.Median(raw.Select(m => m.GcPause.TotalMilliseconds));
    var libraryPause = Measurement.Median(library.Select(m => m.GcPause.TotalMilliseconds));
    var rawPromoted = Measurement.Median(raw.Select(m => m.PromotedBytesPerMessage));
    var libraryPromoted = Measurement.Median(library.Select(m => m.PromotedBytesPerMessage));
    var rawFaults = Measurement.Median(raw.Select(m => m.PageFaultsPerThousandMessages));
    var libraryFaults = Measurement.Median(library.Select(m => m.PageFaultsPerThousandMessages));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {rawName,-32} {rawRate,12:N0} msg/s  {rawBytes,8:N0} B/msg  {rawCpu,6:F2} CPU µs/msg  GC paused {rawPause,4:F0} ms, promoted {rawPromoted,4:F0} B/msg, {rawFaults,4:F0} page faults/1k msg"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {libraryName,-32} {libraryRate,12:N0} msg/s  {libraryBytes,8:N0} B/msg  {libraryCpu,6:F2} CPU µs/msg  GC paused {libraryPause,4:F0} ms, promoted {libraryPromoted,4:F0} B/msg, {libraryFaults,4:F0} page faults/1k msg"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: ratio {libraryName} / {rawName}: throughput {libraryRate / rawRate:F2}, allocated bytes per message {libraryBytes / rawBytes:F2}, CPU time per message {libraryCpu / rawCpu:F2}"));
    return (libraryRate / rawRate, libraryBytes / rawBytes);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unavailable (no /proc/loadavg)";
