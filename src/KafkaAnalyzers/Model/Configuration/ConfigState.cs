using System.Collections.Generic;

namespace KafkaAnalyzers.Model;

internal enum SettingKind
{
    /// <summary>Provably never set on a fully visible configuration: librdkafka's default applies.</summary>
    Default,

    /// <summary>Set to a value the analyzer can read.</summary>
    Known,

    /// <summary>Set from somewhere the analyzer cannot see, or on some paths only.</summary>
    Unknown,
}

/// <summary>The effective value of one setting.</summary>
internal readonly struct Setting
{
    private Setting(SettingKind kind, string? value, ConfigWrite? write)
    {
        Kind = kind;
        Value = value;
        Write = write;
    }

    public SettingKind Kind { get; }

    /// <summary>The raw value librdkafka receives; for <see cref="SettingKind.Default"/> the documented default.</summary>
    public string? Value { get; }

    /// <summary>The last write, for Known (and for Unknown when a write made it so).</summary>
    public ConfigWrite? Write { get; }

    public bool IsKnown => Kind == SettingKind.Known;

    public bool IsDefault => Kind == SettingKind.Default;

    /// <summary>Known or Default: the value is certain.</summary>
    public bool IsCertain => Kind != SettingKind.Unknown;

    public static Setting Known(string value, ConfigWrite write) => new(SettingKind.Known, value, write);

    public static Setting Unknown(ConfigWrite? write) => new(SettingKind.Unknown, null, write);

    public static Setting Default(string canonicalKey) => new(SettingKind.Default, LibrdkafkaProperties.Default(canonicalKey), null);

    public static Setting Removed(string canonicalKey, ConfigWrite write) => new(SettingKind.Default, LibrdkafkaProperties.Default(canonicalKey), write);
}

/// <summary>The effective settings of a configuration at one point (last writer wins).</summary>
internal sealed class ConfigState
{
    private readonly Dictionary<string, Setting> _settings = new();

    private ConfigState(bool othersUnknown) => OthersUnknown = othersUnknown;

    /// <summary>
    /// Settings not written visibly may have been set elsewhere (the configuration escaped, was bound
    /// from configuration, or comes from a parameter). When false, an unset setting has its default.
    /// </summary>
    public bool OthersUnknown { get; private set; }

    public static ConfigState Visible() => new(othersUnknown: false);

    public static ConfigState Invisible() => new(othersUnknown: true);

    /// <summary>The effective setting of a key (aliases are resolved, so "acks" and "request.required.acks" agree).</summary>
    public Setting Get(string key)
    {
        var canonicalKey = LibrdkafkaProperties.Canonical(key) ?? key;
        if (_settings.TryGetValue(canonicalKey, out var setting))
        {
            return setting;
        }

        return OthersUnknown ? Setting.Unknown(null) : Setting.Default(canonicalKey);
    }

    public IEnumerable<KeyValuePair<string, Setting>> Explicit => _settings;

    public ConfigState Copy()
    {
        var copy = new ConfigState(OthersUnknown);
        foreach (var pair in _settings)
        {
            copy._settings[pair.Key] = pair.Value;
        }

        return copy;
    }

    public void Apply(ConfigWrite write)
    {
        if (write.CanonicalKey is null)
        {
            // A key we cannot read: any setting may have changed.
            MakeEverythingUnknown();
            return;
        }

        if (write.IsConditional || !write.HasConstantValue)
        {
            _settings[write.CanonicalKey] = Setting.Unknown(write);
        }
        else if (write.Removes)
        {
            _settings[write.CanonicalKey] = Setting.Removed(write.CanonicalKey, write);
        }
        else
        {
            _settings[write.CanonicalKey] = Setting.Known(write.Value!, write);
        }
    }

    public void Remove(string canonicalKey, bool conditional)
        => _settings[canonicalKey] = conditional ? Setting.Unknown(null) : Setting.Default(canonicalKey);

    public void MakeUnknown(string canonicalKey) => _settings[canonicalKey] = Setting.Unknown(null);

    public void MakeEverythingUnknown()
    {
        _settings.Clear();
        OthersUnknown = true;
    }
}
