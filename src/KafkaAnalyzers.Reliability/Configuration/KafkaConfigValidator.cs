using Confluent.Kafka;
using static KafkaAnalyzers.Reliability.Configuration.KafkaSettings;

namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>
/// Refuses client configurations that lose or duplicate data, and those <c>Build()</c> would reject at
/// run time (KAFKA_FACTS §2), with a message naming each setting by its key and .NET property.
/// Values are read from the configuration's key/value pairs, so aliases set through <c>Set(...)</c> or a
/// dictionary (<c>request.required.acks</c>, <c>retries</c>, <c>delivery.timeout.ms</c>,
/// <c>queue.buffering.max.ms</c>, <c>max.in.flight.requests.per.connection</c>...) count, and the last
/// one applied wins, as in <c>Build()</c>.
/// </summary>
public static class KafkaConfigValidator
{
    /// <summary>Smallest delivery timeout a critical producer may use, whatever its request timeout.</summary>
    public const int MinimumCriticalDeliveryTimeoutMs = 10_000;

    private const int DefaultDeliveryTimeoutMs = 300_000;
    private const double DefaultLingerMs = 5;
    private const int DefaultRequestTimeoutMs = 30_000;
    private const int DefaultSessionTimeoutMs = 45_000;
    private const int DefaultMaxPollIntervalMs = 300_000;

    /// <summary>Throws <see cref="KafkaConfigurationException"/> unless <paramref name="config"/> is safe for a critical producer.</summary>
    /// <param name="config">The producer configuration.</param>
    public static void ValidateCriticalProducer(ProducerConfig config) =>
        ValidateCriticalProducer((IEnumerable<KeyValuePair<string, string>>)config);

    /// <summary>Throws <see cref="KafkaConfigurationException"/> unless the key/value pairs given to a <c>ProducerBuilder</c> are safe for a critical producer.</summary>
    /// <param name="config">The pairs, e.g. a dictionary passed to <c>ProducerBuilder</c>.</param>
    public static void ValidateCriticalProducer(IEnumerable<KeyValuePair<string, string>> config) =>
        ThrowIfAny("a critical producer", FindCriticalProducerProblems(config));

    /// <summary>Every reason <paramref name="config"/> is not safe for a critical producer; empty when it is.</summary>
    /// <param name="config">The producer configuration (or the pairs given to a <c>ProducerBuilder</c>).</param>
    /// <returns>The problems, in a stable order.</returns>
    public static IReadOnlyList<KafkaConfigurationProblem> FindCriticalProducerProblems(IEnumerable<KeyValuePair<string, string>> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var effective = new EffectiveConfig(config);
        var problems = new Problems();
        CheckBootstrapServers(effective, problems);
        var idempotent = CheckIdempotence(effective, problems);
        CheckAcks(effective, problems, idempotent);
        CheckMaxInFlight(effective, problems);
        CheckRetries(effective, problems);
        CheckDeliveryTimeout(effective, problems);
        CheckTransactionalId(effective, problems);
        CheckGaplessGuarantee(effective, problems, idempotent);
        CheckDeliveryReports(effective, problems);
        return problems;
    }

    /// <summary>Throws <see cref="KafkaConfigurationException"/> unless <paramref name="config"/> gives at-least-once processing with stored offsets.</summary>
    /// <param name="config">The consumer configuration.</param>
    public static void ValidateAtLeastOnceConsumer(ConsumerConfig config) =>
        ValidateAtLeastOnceConsumer((IEnumerable<KeyValuePair<string, string>>)config);

    /// <summary>Throws <see cref="KafkaConfigurationException"/> unless the key/value pairs given to a <c>ConsumerBuilder</c> give at-least-once processing.</summary>
    /// <param name="config">The pairs, e.g. a dictionary passed to <c>ConsumerBuilder</c>.</param>
    public static void ValidateAtLeastOnceConsumer(IEnumerable<KeyValuePair<string, string>> config) =>
        ThrowIfAny("an at-least-once consumer", FindAtLeastOnceConsumerProblems(config));

    /// <summary>
    /// Every reason <paramref name="config"/> does not give at-least-once processing with the
    /// store-after-processing pattern (<c>enable.auto.offset.store=false</c> + <c>enable.auto.commit=true</c>);
    /// empty when it does.
    /// </summary>
    /// <param name="config">The consumer configuration (or the pairs given to a <c>ConsumerBuilder</c>).</param>
    /// <returns>The problems, in a stable order.</returns>
    public static IReadOnlyList<KafkaConfigurationProblem> FindAtLeastOnceConsumerProblems(IEnumerable<KeyValuePair<string, string>> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var effective = new EffectiveConfig(config);
        var problems = new Problems();
        CheckBootstrapServers(effective, problems);
        CheckGroupId(effective, problems);
        CheckAutoOffsetStore(effective, problems);
        CheckAutoCommit(effective, problems);
        CheckAutoOffsetReset(effective, problems);
        CheckPollInterval(effective, problems);
        return problems;
    }

    private static void ThrowIfAny(string purpose, IReadOnlyList<KafkaConfigurationProblem> problems)
    {
        if (problems.Count > 0)
        {
            throw new KafkaConfigurationException(purpose, problems);
        }
    }

    private static void CheckBootstrapServers(EffectiveConfig config, Problems problems)
    {
        var servers = config[BootstrapServers];
        if (string.IsNullOrWhiteSpace(servers.Raw) && !config[MockBrokers].IsSet)
        {
            problems.Add(servers, $"{servers.Name} is not set; the client would never connect and every message would time out");
        }
    }

    /// <returns>Whether the producer will be idempotent (explicitly, or implied by a transactional id).</returns>
    private static bool CheckIdempotence(EffectiveConfig config, Problems problems)
    {
        var idempotence = config[EnableIdempotence];
        const string why = "critical producers need true: without it a retried request can duplicate or reorder messages";
        if (!idempotence.IsSet)
        {
            if (HasTransactionalId(config))
            {
                return true;
            }

            problems.Add(idempotence, $"{idempotence.Name} is not set (librdkafka default false); {why}");
            return false;
        }

        if (!idempotence.TryGetBool(out var enabled))
        {
            problems.AddInvalid(idempotence, "true or false");
            return false;
        }

        if (!enabled)
        {
            problems.Add(idempotence, $"{idempotence.Name} is false; {why}");
        }

        return enabled;
    }

    private static void CheckAcks(EffectiveConfig config, Problems problems, bool idempotent)
    {
        var acks = config[KafkaSettings.Acks];
        if (!acks.IsSet || string.Equals(acks.Raw?.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!acks.TryGetInt(out var value) || value is < -1 or > 1000)
        {
            problems.AddInvalid(acks, "all, or -1..1000");
            return;
        }

        if (value != -1)
        {
            var buildNote = idempotent ? " (Build() also throws: acks must be all when enable.idempotence is true)" : "";
            problems.Add(acks, $"{acks.Name} is {value}; critical producers need all (-1): with fewer acknowledgements a leader failure loses acknowledged messages{buildNote}");
        }
    }

    private static void CheckMaxInFlight(EffectiveConfig config, Problems problems)
    {
        var inFlight = config[MaxInFlight];
        if (!inFlight.IsSet)
        {
            return;
        }

        if (!inFlight.TryGetInt(out var value) || value is < 1 or > 1_000_000)
        {
            problems.AddInvalid(inFlight, "1..1000000");
        }
        else if (value > 5)
        {
            problems.Add(inFlight, $"{inFlight.Name} is {value}; an idempotent producer allows at most 5 requests in flight (Build() throws with enable.idempotence=true)");
        }
    }

    private static void CheckRetries(EffectiveConfig config, Problems problems)
    {
        var retries = config[Retries];
        if (!retries.IsSet)
        {
            return;
        }

        if (!retries.TryGetInt(out var value) || value < 0)
        {
            problems.AddInvalid(retries, "0..2147483647");
        }
        else if (value == 0)
        {
            problems.Add(retries, $"{retries.Name} is 0; a critical producer must retry transient broker errors, or a leader change fails messages (Build() also throws with enable.idempotence=true): leave it unset");
        }
    }

    private static void CheckDeliveryTimeout(EffectiveConfig config, Problems problems)
    {
        var linger = config[Linger];
        var lingerMs = DefaultLingerMs;
        if (linger.IsSet && (!linger.TryGetDouble(out lingerMs) || lingerMs is < 0 or > 900_000))
        {
            problems.AddInvalid(linger, "0..900000 (invariant culture, e.g. 5 or 0.5)");
            lingerMs = DefaultLingerMs;
        }

        var request = config[RequestTimeout];
        var requestMs = DefaultRequestTimeoutMs;
        if (request.IsSet && (!request.TryGetInt(out requestMs) || requestMs is < 1 or > 900_000))
        {
            problems.AddInvalid(request, "1..900000");
            requestMs = DefaultRequestTimeoutMs;
        }

        var timeout = config[DeliveryTimeout];
        var timeoutMs = DefaultDeliveryTimeoutMs;
        if (timeout.IsSet && (!timeout.TryGetInt(out timeoutMs) || timeoutMs < 0))
        {
            problems.AddInvalid(timeout, "0..2147483647");
            return;
        }

        var minimum = Math.Max(MinimumCriticalDeliveryTimeoutMs, requestMs + (long)Math.Ceiling(lingerMs));
        if (timeoutMs == 0)
        {
            problems.Add(timeout, $"{timeout.Name} is 0, which never times out: a message stuck behind an unreachable cluster is never reported as failed; use a finite value such as {KafkaPresets.CriticalProducerDeliveryTimeoutMs}");
        }
        else if (timeoutMs <= lingerMs)
        {
            problems.Add(timeout, $"{timeout.Name} is {timeoutMs} ms, not greater than linger.ms ({lingerMs} ms); Build() throws");
        }
        else if (timeoutMs < minimum)
        {
            problems.Add(timeout, $"{timeout.Name} is {timeoutMs} ms; a critical producer needs at least {minimum} ms (10 s, and request.timeout.ms + linger.ms) so a leader failover does not fail messages");
        }
    }

    private static void CheckTransactionalId(EffectiveConfig config, Problems problems)
    {
        var idempotence = config[EnableIdempotence];
        if (HasTransactionalId(config) && idempotence.TryGetBool(out var enabled) && !enabled)
        {
            var id = config[TransactionalId];
            problems.Add(id, $"{id.Name} is set while {idempotence.Name} is false; Build() throws (transactional.id requires enable.idempotence=true)");
        }
    }

    private static void CheckGaplessGuarantee(EffectiveConfig config, Problems problems, bool idempotent)
    {
        var gapless = config[GaplessGuarantee];
        if (!gapless.IsSet)
        {
            return;
        }

        if (!gapless.TryGetBool(out var enabled))
        {
            problems.AddInvalid(gapless, "true or false");
        }
        else if (enabled && !idempotent)
        {
            problems.Add(gapless, $"{gapless.Name} is true without enable.idempotence=true; Build() throws");
        }
    }

    private static void CheckDeliveryReports(EffectiveConfig config, Problems problems)
    {
        var reports = config[DeliveryReports];
        if (reports.IsSet)
        {
            if (!reports.TryGetBool(out var enabled))
            {
                problems.AddInvalid(reports, "true or false");
            }
            else if (!enabled)
            {
                problems.Add(reports, $"{reports.Name} is false; nothing would ever report a failed delivery");
            }
        }

        var fields = config[DeliveryReportFields];
        if (fields.IsSet)
        {
            var names = (fields.Raw ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (!names.Contains("all", StringComparer.OrdinalIgnoreCase) && !names.Contains("status", StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(fields, $"{fields.Name} is '{fields.Raw}'; include status (or all) so a failed delivery says whether the message may have been persisted");
            }
        }
    }

    private static void CheckGroupId(EffectiveConfig config, Problems problems)
    {
        var group = config[GroupId];
        if (string.IsNullOrWhiteSpace(group.Raw))
        {
            problems.Add(group, $"{group.Name} is not set; Build() throws for a consumer without a group ('group.id' configuration parameter is required)");
        }
    }

    private static void CheckAutoOffsetStore(EffectiveConfig config, Problems problems)
    {
        var store = config[EnableAutoOffsetStore];
        const string why = "at-least-once needs false: librdkafka then stores each offset as the message is handed to the application, so it can be committed before processing finishes and a crash skips the message";
        if (!store.IsSet)
        {
            problems.Add(store, $"{store.Name} is not set (librdkafka default true); {why}");
        }
        else if (!store.TryGetBool(out var enabled))
        {
            problems.AddInvalid(store, "true or false");
        }
        else if (enabled)
        {
            problems.Add(store, $"{store.Name} is true; {why}");
        }
    }

    private static void CheckAutoCommit(EffectiveConfig config, Problems problems)
    {
        var commit = config[EnableAutoCommit];
        if (commit.IsSet)
        {
            if (!commit.TryGetBool(out var enabled))
            {
                problems.AddInvalid(commit, "true or false");
            }
            else if (!enabled)
            {
                problems.Add(commit, $"{commit.Name} is false; offsets stored after processing are committed by auto-commit, so with false they are never committed (Close() does not commit them either) and every restart reprocesses from the last commit");
            }
        }

        var interval = config[AutoCommitInterval];
        if (interval.IsSet)
        {
            if (!interval.TryGetInt(out var intervalMs) || intervalMs is < 0 or > 86_400_000)
            {
                problems.AddInvalid(interval, "0..86400000");
            }
            else if (intervalMs == 0)
            {
                problems.Add(interval, $"{interval.Name} is 0, which disables auto-commit: stored offsets are never committed");
            }
        }
    }

    private static void CheckAutoOffsetReset(EffectiveConfig config, Problems problems)
    {
        var reset = config[KafkaSettings.AutoOffsetReset];
        const string why = "when the group has no committed offset (new group, expired offsets) or it is out of range, the consumer jumps to the end and never sees the messages before it: use Earliest";
        if (!reset.IsSet)
        {
            problems.Add(reset, $"{reset.Name} is not set (librdkafka default latest); {why}");
            return;
        }

        switch (reset.Raw?.Trim().ToLowerInvariant())
        {
            case "earliest" or "smallest" or "beginning" or "error":
                return;
            case "latest" or "largest" or "end":
                problems.Add(reset, $"{reset.Name} is {reset.Raw}; {why}");
                return;
            default:
                problems.AddInvalid(reset, "earliest, latest or error");
                return;
        }
    }

    private static void CheckPollInterval(EffectiveConfig config, Problems problems)
    {
        var session = config[SessionTimeout];
        var sessionMs = DefaultSessionTimeoutMs;
        if (session.IsSet && (!session.TryGetInt(out sessionMs) || sessionMs is < 1 or > 3_600_000))
        {
            problems.AddInvalid(session, "1..3600000");
            return;
        }

        var poll = config[MaxPollInterval];
        var pollMs = DefaultMaxPollIntervalMs;
        if (poll.IsSet && (!poll.TryGetInt(out pollMs) || pollMs is < 1 or > 86_400_000))
        {
            problems.AddInvalid(poll, "1..86400000");
            return;
        }

        if (pollMs < sessionMs)
        {
            problems.Add(poll, $"{poll.Name} is {pollMs} ms, below {session.Name} ({sessionMs} ms); Build() throws (max.poll.interval.ms must be >= session.timeout.ms)");
        }
    }

    private static bool HasTransactionalId(EffectiveConfig config) => !string.IsNullOrEmpty(config[TransactionalId].Raw);

    private sealed class Problems : List<KafkaConfigurationProblem>
    {
        public void Add(SettingValue setting, string message) =>
            Add(new KafkaConfigurationProblem(setting.WrittenKey ?? setting.Setting.PrimaryKey, setting.Setting.Property, setting.Raw, message));

        public void AddInvalid(SettingValue setting, string validValues) =>
            Add(setting, setting.Raw is null
                ? $"{setting.Name} is null; Build() throws ArgumentNullException"
                : $"{setting.Name} is '{setting.Raw}', which librdkafka rejects (valid: {validValues})");
    }
}
