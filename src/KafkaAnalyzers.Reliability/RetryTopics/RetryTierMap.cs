using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>The tier topics of every source topic, and the way back from a tier topic to its source and tier number.</summary>
internal sealed class RetryTierMap
{
    private readonly Dictionary<string, (string Source, int Tier)> tiersByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> topicsBySource = new(StringComparer.Ordinal);
    private readonly TimeSpan[] delays;

    public RetryTierMap(IEnumerable<string> sources, IList<TimeSpan> delays, Func<string, int, string> name)
    {
        this.delays = delays.ToArray();
        foreach (var source in sources.Distinct(StringComparer.Ordinal))
        {
            var tiers = new string[this.delays.Length];
            for (var tier = 1; tier <= tiers.Length; tier++)
            {
                tiers[tier - 1] = name(source, tier);
                tiersByTopic[tiers[tier - 1]] = (source, tier);
            }

            topicsBySource[source] = tiers;
        }
    }

    public int TierCount => delays.Length;

    public IEnumerable<string> Sources => topicsBySource.Keys;

    public IEnumerable<string> TierTopics => tiersByTopic.Keys;

    public TimeSpan Delay(int tier) => delays[tier - 1];

    public string TopicFor(string source, int tier) => topicsBySource[source][tier - 1];

    public bool TryGetTier(string topic, out string source, out int tier)
    {
        if (tiersByTopic.TryGetValue(topic, out var found))
        {
            (source, tier) = found;
            return true;
        }

        source = string.Empty;
        tier = 0;
        return false;
    }

    /// <summary>Problems with the names <paramref name="name"/> gives: illegal, repeated, or clashing with a source or default dead-letter topic.</summary>
    public static IEnumerable<string> Validate(string prefix, IReadOnlyCollection<string> sources, int tiers, Func<string, int, string> name)
    {
        var problems = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var reserved = new HashSet<string>(sources, StringComparer.Ordinal);
        reserved.UnionWith(sources.Select(source => source + KafkaDeadLetterPublisherOptions.DefaultTopicSuffix));
        foreach (var source in sources.Distinct(StringComparer.Ordinal))
        {
            for (var tier = 1; tier <= tiers; tier++)
            {
                string? topic;
                try
                {
                    topic = name(source, tier);
                }
                catch (Exception ex)
                {
                    problems.Add($"{prefix}.{nameof(RetryTopicOptions.TopicName)} threw for ('{source}', {tier}): {ex.Message}.");
                    continue;
                }

                var what = $"{prefix}.{nameof(RetryTopicOptions.TopicName)}('{source}', {tier})";
                if (!IsLegalTopicName(topic))
                {
                    problems.Add($"{what} is '{topic}', not a legal topic name (1 to 249 characters from [a-zA-Z0-9._-]).");
                }
                else if (reserved.Contains(topic))
                {
                    problems.Add($"{what} is '{topic}', which is a source topic or a dead-letter topic.");
                }
                else if (!seen.TryAdd(topic, $"('{source}', {tier})"))
                {
                    problems.Add($"{what} is '{topic}', the same as for {seen[topic]}; every tier needs its own topic.");
                }
            }
        }

        return problems;
    }

    private static bool IsLegalTopicName(string? topic) =>
        topic is { Length: >= 1 and <= 249 }
        && topic is not "." and not ".."
        && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
