using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Configuration;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>
/// Non-blocking retries through delay topics (off by default). A message whose transient failure outlasts
/// the in-memory attempts (<see cref="Consuming.ReliableConsumerOptions.Retry"/>) is produced to the first
/// retry tier, <c>&lt;topic&gt;.retry.1</c>, and its source offset is stored once that produce is
/// acknowledged (acks=all), so the source partition keeps flowing. The same consumer reads the tiers: a
/// tier partition whose first message is not due yet is paused until it is (the consumer keeps polling and
/// stays in its group). A message that fails again moves to the next tier; after the last tier it goes to
/// the dead-letter sink with its retry history. Permanent failures still go straight to the dead-letter sink.
/// </summary>
/// <remarks>
/// Ordering: a retried message is handled <b>after</b> later messages of its key, unless
/// <see cref="KeepKeyOrder"/> is on.
/// </remarks>
public sealed class RetryTopicOptions
{
    /// <summary>Whether retry topics are used. Default <see langword="false"/>: transient failures are retried in memory, then dead-lettered.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The delay of each tier, first tier first: a message produced to tier <c>n</c> is due
    /// <c>Delays[n-1]</c> after its failure. Default 5 s, 30 s, 2 min, 10 min. 1 to 20 tiers, each delay from
    /// 10 ms to 1 day. The delays are not checked against <c>max.poll.interval.ms</c>: waiting never blocks the poll thread.
    /// </summary>
    public IList<TimeSpan> Delays { get; set; } = new List<TimeSpan>
    {
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10),
    };

    /// <summary>
    /// Names tier <c>n</c> (1-based) of a source topic. Default <c>&lt;topic&gt;.retry.&lt;n&gt;</c>. Every name
    /// must differ from the source topics, from each other, and from the dead-letter topic.
    /// </summary>
    public Func<string, int, string> TopicName { get; set; } = DefaultTopicName;

    /// <summary>
    /// Handler attempts a message gets each time it comes out of a tier before it moves on (with the
    /// in-memory backoff of <see cref="Consuming.ReliableConsumerOptions.Retry"/> between them). Default 1.
    /// </summary>
    public int AttemptsPerTier { get; set; } = 1;

    /// <summary>
    /// At start, create missing tier topics (with the source topic's partition count and replication
    /// factor) through the admin API. When false, or when creation fails, start fails with an error naming
    /// each missing topic. Existing tier topics are always checked: they must have at least the source
    /// topic's partitions (exactly as many with <see cref="KeepKeyOrder"/>). Default <see langword="true"/>.
    /// </summary>
    public bool CreateMissingTopics { get; set; } = true;

    /// <summary>
    /// Keep per-key order within this consumer: while a message of a key is in the retry path, later
    /// messages of that key (same source partition) follow it into the retry path without being handled,
    /// and are handled after it, in order. Limits: what is in retry is known in memory only, so after a
    /// restart or a rebalance a later message may be handled before an earlier one still in a tier; it
    /// needs the range assignor (the default <c>partition.assignment.strategy</c>, classic group protocol)
    /// and tier topics with exactly the source topic's partition count, so that a source partition and its
    /// tier partitions go to the same consumer; all consumers of the group must use it. A key whose message
    /// is dead-lettered is released: the next messages of the key are handled. Messages without a key are not ordered.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool KeepKeyOrder { get; set; }

    /// <summary>
    /// The producer that writes to the tiers. Default (null): <see cref="KafkaPresets.CriticalProducer"/> with the
    /// consumer's connection settings (bootstrap servers, security, SASL and SSL settings). When set, it must pass
    /// <see cref="KafkaConfigValidator.ValidateCriticalProducer(ProducerConfig)"/>.
    /// </summary>
    public ProducerConfig? Producer { get; set; }

    /// <summary>How long start waits for the cluster to describe or create the tier topics. Default 30 s.</summary>
    public TimeSpan TopicSetupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="TopicName"/>: <c>&lt;topic&gt;.retry.&lt;tier&gt;</c>.</summary>
    /// <param name="topic">The source topic.</param>
    /// <param name="tier">The tier, from 1.</param>
    /// <returns>The tier topic's name.</returns>
    public static string DefaultTopicName(string topic, int tier) => $"{topic}.retry.{tier}";

    /// <summary>Lists every invalid setting, each naming it.</summary>
    internal List<string> Validate(string prefix, ConsumerConfig? consumer, IEnumerable<string>? topics)
    {
        var problems = new List<string>();
        if (!Enabled)
        {
            return problems;
        }

        void Check(bool condition, string property, string rule)
        {
            if (!condition)
            {
                problems.Add($"{prefix}.{property} {rule}.");
            }
        }

        Check(Delays is { Count: >= 1 and <= 20 }, nameof(Delays), "must list 1 to 20 tier delays");
        if (Delays is not null)
        {
            for (var i = 0; i < Delays.Count; i++)
            {
                Check(Delays[i] >= TimeSpan.FromMilliseconds(10) && Delays[i] <= TimeSpan.FromDays(1), $"{nameof(Delays)}[{i}]", $"must be between 10 ms and 1 day; got {Delays[i]}");
            }
        }

        Check(TopicName is not null, nameof(TopicName), "is required");
        Check(AttemptsPerTier is >= 1 and <= 100, nameof(AttemptsPerTier), "must be between 1 and 100");
        Check(TopicSetupTimeout >= TimeSpan.FromMilliseconds(100) && TopicSetupTimeout <= TimeSpan.FromHours(1), nameof(TopicSetupTimeout), "must be between 100 ms and 1 hour");
        if (Producer is not null)
        {
            problems.AddRange(KafkaConfigValidator.FindCriticalProducerProblems(Producer).Select(problem => $"{prefix}.{nameof(Producer)}: {problem.Message}."));
        }

        var sources = topics?.Where(topic => !string.IsNullOrWhiteSpace(topic)).ToList() ?? [];
        if (sources.Any(topic => topic.StartsWith('^')))
        {
            problems.Add($"{prefix} needs literal topic names: a pattern subscription ({string.Join(", ", sources.Where(t => t.StartsWith('^')))}) cannot name its retry topics.");
        }
        else if (TopicName is not null && Delays is { Count: >= 1 and <= 20 })
        {
            problems.AddRange(RetryTierMap.Validate(prefix, sources, Delays.Count, TopicName));
        }

        if (KeepKeyOrder && consumer is not null)
        {
            var strategy = consumer.Get("partition.assignment.strategy");
            var protocol = consumer.Get("group.protocol");
            Check(
                strategy is null || strategy.Split(',')[0].Trim() == "range",
                nameof(KeepKeyOrder),
                $"needs the range assignor (partition.assignment.strategy unset or starting with 'range'), so that a source partition and its tier partitions go to the same consumer; it is '{strategy}'");
            Check(
                protocol is null || protocol.Equals("classic", StringComparison.OrdinalIgnoreCase),
                nameof(KeepKeyOrder),
                $"needs the classic group protocol (group.protocol unset or 'classic'): with '{protocol}' the broker assigns partitions and may separate a source partition from its tier partitions");
        }

        return problems;
    }
}
