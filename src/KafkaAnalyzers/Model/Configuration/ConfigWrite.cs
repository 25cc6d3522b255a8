using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

internal enum ConfigWriteForm
{
    /// <summary><c>Acks = Acks.Leader</c> in an initializer, or <c>config.Acks = ...</c>.</summary>
    Property,

    /// <summary><c>config.Set("acks", "1")</c>.</summary>
    SetCall,

    /// <summary>A dictionary entry: <c>{ "acks", "1" }</c>, <c>["acks"] = "1"</c>, <c>dict.Add(...)</c>, <c>dict["acks"] = ...</c>.</summary>
    DictionaryEntry,

    /// <summary>A key-value pair in a list or array: <c>new("acks", "1")</c>, <c>KeyValuePair.Create(...)</c>.</summary>
    Pair,
}

/// <summary>One write of one setting, as the analyzer saw it in source.</summary>
internal sealed class ConfigWrite
{
    public ConfigWrite(
        IOperation operation,
        ConfigWriteForm form,
        string? key,
        IOperation? keyOperation,
        IOperation? valueOperation,
        IPropertySymbol? property,
        bool isConditional,
        bool isSchemaRegistry = false)
    {
        IsSchemaRegistry = isSchemaRegistry;
        Operation = operation;
        Form = form;
        Key = key;
        CanonicalKey = key is null ? null : LibrdkafkaProperties.Canonical(key) ?? key;
        KeyOperation = keyOperation;
        ValueOperation = valueOperation;
        Property = property;
        IsConditional = isConditional;
        HasConstantValue = ConfigValues.TryGetWrittenValue(valueOperation, out var value, out var removes);
        Value = value;
        Removes = removes;
    }

    /// <summary>The assignment, invocation, initializer element or pair creation that writes.</summary>
    public IOperation Operation { get; }

    public ConfigWriteForm Form { get; }

    /// <summary>The key as written (for a typed property, the key its setter writes); null when not a constant.</summary>
    public string? Key { get; }

    /// <summary>The key librdkafka stores the value under (aliases resolved); the key itself when unknown.</summary>
    public string? CanonicalKey { get; }

    public IOperation? KeyOperation { get; }

    public IOperation? ValueOperation { get; }

    public IPropertySymbol? Property { get; }

    /// <summary>Runs only on some paths relative to where the configuration is created (a branch, a loop, a lambda).</summary>
    public bool IsConditional { get; }

    public bool HasConstantValue { get; }

    /// <summary>The string librdkafka receives; null when not a constant or when the write removes the key.</summary>
    public string? Value { get; }

    /// <summary>A typed setter assigned <c>null</c>: the key is removed and the default applies.</summary>
    public bool Removes { get; }

    /// <summary>A write on Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c>: its key is a <c>schema.registry.*</c> key, not librdkafka's.</summary>
    public bool IsSchemaRegistry { get; }

    public Location Location => Operation.Syntax.GetLocation();

    public bool IsStringKey => Form != ConfigWriteForm.Property;
}
