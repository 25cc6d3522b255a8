using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.ExactlyOnce;

/// <summary>Settings of an <see cref="ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}"/>.</summary>
public sealed class ExactlyOnceProcessorOptions
{
    /// <summary>
    /// The consumer settings: connection and <c>group.id</c> (required). The processor reads with
    /// <c>isolation.level=read_committed</c> and commits offsets only inside its transactions, so it turns
    /// <c>enable.auto.commit</c> and <c>enable.auto.offset.store</c> off; setting auto-commit on or read_uncommitted is refused.
    /// </summary>
    public ConsumerConfig Consumer { get; set; } = new();

    /// <summary>
    /// The transactional producer's settings; when null, <see cref="KafkaPresets.CriticalProducer"/> with the consumer's
    /// connection settings. Must pass <see cref="KafkaConfigValidator.ValidateCriticalProducer(ProducerConfig)"/> and must
    /// not set <c>transactional.id</c>: it is derived from <see cref="TransactionalIdPrefix"/> and <see cref="InstanceId"/>.
    /// </summary>
    public ProducerConfig? Producer { get; set; }

    /// <summary>The input topics.</summary>
    public IList<string> Topics { get; set; } = new List<string>();

    /// <summary>
    /// This instance's stable identity: the same value after every restart of the same instance (a pod name of a
    /// StatefulSet, a machine name, a configured ordinal), and different for instances running at the same time.
    /// The producer's <c>transactional.id</c> is <c>&lt;prefix&gt;-&lt;InstanceId&gt;</c>: a restarted instance fences its
    /// previous incarnation (a zombie) and aborts the transaction it left open. A random id per start would leave that
    /// transaction open until <c>transaction.timeout.ms</c>, holding back every read_committed reader of its partitions.
    /// </summary>
    public string InstanceId { get; set; } = "";

    /// <summary>Prefix of the <c>transactional.id</c>; default (null): the consumer group id.</summary>
    public string? TransactionalIdPrefix { get; set; }

    /// <summary>At most this many consumed messages go into one transaction. Default 100.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>How long one poll waits for the first message of a batch. Default 100 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long each transaction call (init, send offsets, commit, abort) may take before it is retried or the transaction aborted. Default 30 s.</summary>
    public TimeSpan TransactionCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient handler failures, exactly as for <see cref="ReliableConsumer{TKey,TValue}"/>; then the message is dead-lettered inside the transaction.</summary>
    public HandlerRetryOptions Retry { get; set; } = new();

    /// <summary>Chooses the dead-letter topic of an input topic. Default: <c>&lt;topic&gt;.dlq</c>.</summary>
    public Func<string, string> DeadLetterTopic { get; set; } = static topic => topic + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix;

    /// <summary>The largest dead letter, in bytes; default (null): the producer's <c>message.max.bytes</c> (librdkafka's 1,000,000 when unset).</summary>
    public int? MaxDeadLetterBytes { get; set; }

    /// <summary>How often the poll thread refreshes the lag (see <see cref="ReliableConsumerOptions.LagRefreshInterval"/>). Default 5 s.</summary>
    public TimeSpan LagRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}.DisposeAsync"/> lets the current batch finish. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal string TransactionalId => $"{TransactionalIdPrefix ?? Consumer?.GroupId}-{InstanceId}";

    /// <summary>Lists every invalid setting, each message naming the setting.</summary>
    internal List<string> Validate()
    {
        const string Name = nameof(ExactlyOnceProcessorOptions);
        var problems = new List<string>();
        if (Consumer is null)
        {
            problems.Add($"{Name}.{nameof(Consumer)} is required.");
        }
        else
        {
            Require(!string.IsNullOrWhiteSpace(Consumer.GroupId), nameof(Consumer), "needs group.id (ConsumerConfig.GroupId): offsets are committed to the group inside each transaction");
            Require(ConnectionSettings.BootstrapServers(Consumer) is not null, nameof(Consumer), "needs bootstrap.servers");
            Require(Consumer.Get("enable.auto.commit") is null or "false", nameof(Consumer), "must not set enable.auto.commit (ConsumerConfig.EnableAutoCommit) to true: the processor commits offsets only inside its transactions");
            Require(Consumer.Get("isolation.level") is null or "read_committed", nameof(Consumer), "must not set isolation.level (ConsumerConfig.IsolationLevel) to read_uncommitted: the processor would consume outputs of aborted transactions");
        }

        if (Producer is not null)
        {
            problems.AddRange(KafkaConfigValidator.FindCriticalProducerProblems(Producer).Select(problem => $"{Name}.{nameof(Producer)}: {problem.Message}."));
            Require(Producer.Get("transactional.id") is null, nameof(Producer), "must not set transactional.id: it is derived from TransactionalIdPrefix and InstanceId");
        }

        Require(Topics is { Count: > 0 } && !Topics.Any(string.IsNullOrWhiteSpace), nameof(Topics), "must list at least one topic, and no empty names");
        Require(!string.IsNullOrWhiteSpace(InstanceId), nameof(InstanceId), "is required: a stable id per instance (the same after a restart), from which transactional.id is derived");
        Require(TransactionalIdPrefix is null || !string.IsNullOrWhiteSpace(TransactionalIdPrefix), nameof(TransactionalIdPrefix), "must not be empty");
        Require(MaxBatchSize is >= 1 and <= 100_000, nameof(MaxBatchSize), "must be between 1 and 100000");
        Require(PollTimeout > TimeSpan.Zero && PollTimeout <= TimeSpan.FromSeconds(10), nameof(PollTimeout), "must be between 1 ms and 10 s");
        Require(TransactionCallTimeout >= TimeSpan.FromMilliseconds(100), nameof(TransactionCallTimeout), "must be at least 100 ms");
        Require(LagRefreshInterval >= TimeSpan.FromMilliseconds(10) && LagRefreshInterval <= TimeSpan.FromMinutes(10), nameof(LagRefreshInterval), "must be between 10 ms and 10 min");
        Require(ShutdownTimeout >= TimeSpan.Zero, nameof(ShutdownTimeout), "must not be negative");
        Require(DeadLetterTopic is not null, nameof(DeadLetterTopic), "is required");
        Require(MaxDeadLetterBytes is null or >= 1024, nameof(MaxDeadLetterBytes), "must be at least 1024");
        problems.AddRange((Retry ?? new()).Validate($"{Name}.{nameof(Retry)}"));
        return problems;

        void Require(bool condition, string setting, string rule) => ReliableConsumerOptions.Require(problems, condition, $"{Name}.{setting}", rule);
    }

    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid exactly-once processor settings ({problems.Count}):{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", problems));
        }
    }
}
