using System.Globalization;

namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>
/// The values a client built from a configuration would use. Reads the raw key/value pairs, because
/// typed getters read only their own key (after <c>Set("request.required.acks", "1")</c>,
/// <c>ProducerConfig.Acks</c> is null). Pairs are applied in enumeration order, as <c>Build()</c>
/// does, so among aliases of one property the last pair enumerated wins.
/// </summary>
internal sealed class EffectiveConfig
{
    private readonly Dictionary<string, (int Order, string? Value)> pairs = new(StringComparer.Ordinal);

    public EffectiveConfig(IEnumerable<KeyValuePair<string, string>> config)
    {
        var order = 0;
        foreach (var pair in config)
        {
            pairs[pair.Key] = (order++, pair.Value);
        }
    }

    public SettingValue this[KafkaSetting setting]
    {
        get
        {
            string? writtenKey = null;
            (int Order, string? Value) winner = (-1, null);
            foreach (var key in setting.Keys)
            {
                if (pairs.TryGetValue(key, out var candidate) && candidate.Order > winner.Order)
                {
                    writtenKey = key;
                    winner = candidate;
                }
            }

            return new SettingValue(setting, writtenKey, winner.Value);
        }
    }
}

/// <summary>The effective value of one setting: which key set it (null when unset) and its raw text.</summary>
internal readonly record struct SettingValue(KafkaSetting Setting, string? WrittenKey, string? Raw)
{
    public bool IsSet => WrittenKey is not null;

    /// <summary>How messages name the setting: the key the user wrote (or the primary key) and the .NET property.</summary>
    public string Name => $"{WrittenKey ?? Setting.PrimaryKey} ({Setting.Property})";

    public bool TryGetInt(out int value) =>
        int.TryParse(Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public bool TryGetDouble(out double value) =>
        double.TryParse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>librdkafka's boolean spellings: true/t/1 and false/f/0, any case.</summary>
    public bool TryGetBool(out bool value)
    {
        switch (Raw?.Trim().ToLowerInvariant())
        {
            case "true" or "t" or "1":
                value = true;
                return true;
            case "false" or "f" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
