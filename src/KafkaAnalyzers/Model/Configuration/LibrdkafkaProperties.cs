using System;
using System.Collections.Generic;
using System.Linq;

namespace KafkaAnalyzers.Model;

internal enum LibrdkafkaSection
{
    Global,
    Topic,
}

internal enum LibrdkafkaRole
{
    Both,
    Producer,
    Consumer,
}

internal sealed record LibrdkafkaProperty(
    string Key,
    LibrdkafkaSection Section,
    LibrdkafkaRole Role,
    string? AliasOf,
    string Default,
    string Type);

/// <summary>
/// Every configuration key librdkafka 2.16 and Confluent.Kafka 2.16 accept: the documented ones
/// (generated table), the hidden ones, and the .NET-only ones. Answers alias → canonical key, the
/// documented default, and which key a typed Confluent property writes.
/// </summary>
internal static partial class LibrdkafkaProperties
{
    /// <summary>
    /// Properties defined with _RK_HIDDEN in librdkafka's src/rdkafka_conf.c: settable but absent from
    /// CONFIGURATION.md, so a user setting them must not get KAFKA301. Checked against the 2.16.0
    /// binary: these are the only names outside CONFIGURATION.md that rd_kafka_conf_set accepts
    /// (besides sasl.jaas.config and ssl.truststore.location, which it knows only to reject).
    /// </summary>
    private static readonly string[] Hidden =
    {
        "client.software.name",
        "client.software.version",
        "metadata.request.timeout.ms",
        "enable.sparse.connections",
        "enable_sasl_queue",
        "test.mock.num.brokers",
        "test.mock.broker.rtt",

        // A unit-test hook of librdkafka's own tests; Build() accepts it.
        "ut_handle_ProduceResponse",
    };

    /// <summary>
    /// librdkafka offers a key it does not know globally to the default topic configuration, which
    /// first strips this prefix: <c>topic.acks</c> sets <c>acks</c>.
    /// </summary>
    private const string TopicPrefix = "topic.";

    /// <summary>Keys Confluent.Kafka consumes itself (ConfigPropertyNames) and the typed properties that write them.</summary>
    private static readonly (string Key, string Property)[] Dotnet =
    {
        ("dotnet.producer.enable.background.poll", "EnableBackgroundPoll"),
        ("dotnet.producer.enable.delivery.reports", "EnableDeliveryReports"),
        ("dotnet.producer.delivery.report.fields", "DeliveryReportFields"),
        ("dotnet.consumer.consume.result.fields", "ConsumeResultFields"),
        ("dotnet.cancellation.delay.max.ms", "CancellationDelayMaxMs"),
    };

    private static readonly Dictionary<string, LibrdkafkaProperty> ByKey = BuildByKey();
    private static readonly Dictionary<string, LibrdkafkaProperty> ByTopicKey = CreateDocumented()
        .Where(p => p.Section == LibrdkafkaSection.Topic)
        .ToDictionary(p => p.Key, StringComparer.Ordinal);
    private static readonly Dictionary<string, string> KeyByPropertyName = BuildPropertyNames();
    private static readonly HashSet<string> Extra = new(Hidden.Concat(Dotnet.Select(d => d.Key)), StringComparer.Ordinal);

    public static IEnumerable<string> AllKeys => ByKey.Keys.Concat(Extra);

    public static bool IsKnown(string key) => Find(key) is not null || Extra.Contains(key);

    /// <summary>The key librdkafka stores a value under (aliases and the <c>topic.</c> prefix resolved); null when the key is unknown.</summary>
    public static string? Canonical(string key)
    {
        if (Find(key) is { } property)
        {
            return property.AliasOf ?? property.Key;
        }

        return Extra.Contains(key) ? key : null;
    }

    /// <summary>The documented default of a key (or of the key it aliases), as CONFIGURATION.md prints it.</summary>
    public static string? Default(string key) => Find(key)?.Default;

    private static LibrdkafkaProperty? Find(string key)
    {
        if (ByKey.TryGetValue(key, out var property))
        {
            return property;
        }

        return key.StartsWith(TopicPrefix, StringComparison.Ordinal)
               && ByTopicKey.TryGetValue(key.Substring(TopicPrefix.Length), out var topicProperty)
            ? topicProperty
            : null;
    }

    /// <summary>
    /// A topic-level key with no global property of the same name: setting it on a client config
    /// makes librdkafka create the default topic configuration, whose checks then run in Build().
    /// </summary>
    public static bool IsTopicLevel(string key)
        => ByKey.TryGetValue(key, out var property) && property.Section == LibrdkafkaSection.Topic;

    /// <summary>The key a typed Confluent config property writes, e.g. Acks → acks, EnableIdempotence → enable.idempotence.</summary>
    public static string? KeyForProperty(string propertyName)
        => KeyByPropertyName.TryGetValue(propertyName, out var key) ? key : null;

    /// <summary>
    /// The known key an unknown one most likely meant: the same key in another case, the key a typed
    /// property name stands for (<c>BootstrapServers</c> → <c>bootstrap.servers</c>), or the single
    /// known key within a small edit distance (one edit, two from 16 characters on; swapping two
    /// adjacent characters counts as one). Null when there is none or the nearest is not unique.
    /// </summary>
    public static string? SuggestFor(string unknownKey)
    {
        foreach (var key in AllKeys)
        {
            if (string.Equals(key, unknownKey, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        if (KeyForProperty(unknownKey) is { } propertyKey)
        {
            return propertyKey;
        }

        if (Nearest(unknownKey, AllKeys) is { } nearest)
        {
            return nearest;
        }

        // topic.<key> is known when <key> is a topic-level key: look for the topic key it meant.
        return unknownKey.StartsWith(TopicPrefix, StringComparison.Ordinal)
               && Nearest(unknownKey.Substring(TopicPrefix.Length), ByTopicKey.Keys) is { } topicKey
            ? TopicPrefix + topicKey
            : null;
    }

    private static string? Nearest(string unknownKey, IEnumerable<string> candidates)
    {
        var limit = unknownKey.Length >= 16 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        var tie = false;
        foreach (var key in candidates)
        {
            if (Math.Abs(key.Length - unknownKey.Length) > limit)
            {
                continue;
            }

            var distance = EditDistance(key, unknownKey, limit);
            if (distance < bestDistance)
            {
                best = key;
                bestDistance = distance;
                tie = false;
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }

        return best is not null && bestDistance <= limit && !tie ? best : null;
    }

    /// <summary>
    /// Edit distance where inserting, deleting or replacing a character, or swapping two adjacent
    /// ones, costs 1 (optimal string alignment); gives up (returning limit + 1) once it must exceed
    /// <paramref name="limit"/>.
    /// </summary>
    private static int EditDistance(string a, string b, int limit)
    {
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }

                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }

    private static Dictionary<string, LibrdkafkaProperty> BuildByKey()
    {
        // librdkafka looks a key up among the global properties first and falls back to the
        // default topic configuration, so a global definition wins over a topic-level one.
        var documented = CreateDocumented();
        var map = new Dictionary<string, LibrdkafkaProperty>(StringComparer.Ordinal);
        foreach (var property in documented.Where(p => p.Section == LibrdkafkaSection.Global))
        {
            map[property.Key] = property;
        }

        foreach (var property in documented.Where(p => p.Section == LibrdkafkaSection.Topic))
        {
            if (!map.ContainsKey(property.Key))
            {
                map[property.Key] = property;
            }
        }

        return map;
    }

    private static Dictionary<string, string> BuildPropertyNames()
    {
        // Confluent generates each typed property name from its key: split on '.' and '_',
        // capitalise each part (enable.idempotence → EnableIdempotence). Tests check every typed
        // property of ProducerConfig/ConsumerConfig/AdminClientConfig against this by reflection.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ByKey.Keys.Concat(Hidden))
        {
            var name = string.Concat(key.Split('.', '_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part.Substring(1)));
            if (!map.ContainsKey(name))
            {
                map[name] = key;
            }
        }

        foreach (var (key, property) in Dotnet)
        {
            map[property] = key;
        }

        return map;
    }
}
