using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

/// <summary>
/// Describes, for the shared configuration fix engine, how to give one setting of a consumer
/// configuration a new value from a diagnostic reported elsewhere (a call site): replace the value of
/// the write that sets it, or add it to the configuration's creation. Null when neither is safe.
/// </summary>
internal readonly struct ConfigFix
{
    private ConfigFix(ImmutableDictionary<string, string?> properties, Location target)
    {
        Properties = properties;
        AdditionalLocations = new[] { target };
    }

    public ImmutableDictionary<string, string?> Properties { get; }

    public Location[] AdditionalLocations { get; }

    public static ConfigFix? Set(KafkaSymbols symbols, ConfigContext context, Setting current, string property, string key, string value, SyntaxTree reportedIn)
    {
        if (current.IsKnown && current.Write is { } write && write.Location.SourceTree == reportedIn)
        {
            return new ConfigFix(
                ImmutableDictionary<string, string?>.Empty
                    .Add(FixProperties.Action, FixProperties.ActionReplaceValue)
                    .Add(FixProperties.WriteAtAdditionalLocation, "true")
                    .Add(FixProperties.TypedValue, value)
                    .Add(FixProperties.StringValue, value),
                write.Location);
        }

        if (current.IsDefault && current.Write is null
            && context.Origin is IObjectCreationOperation creation
            && creation.Syntax.SyntaxTree == reportedIn
            && (FlowSymbols.InheritsFrom(creation.Type, symbols.ConsumerConfig)
                || (KafkaSymbols.IsConstructedFrom(creation.Type, symbols.Dictionary) && symbols.IsStringDictionary(creation.Type))))
        {
            return new ConfigFix(
                ImmutableDictionary<string, string?>.Empty
                    .Add(FixProperties.Action, FixProperties.ActionAddSetting)
                    .Add(FixProperties.CreationAtAdditionalLocation, "true")
                    .Add(FixProperties.Property, property)
                    .Add(FixProperties.TypedValue, value)
                    .Add(FixProperties.Key, key)
                    .Add(FixProperties.StringValue, value),
                creation.Syntax.GetLocation());
        }

        return null;
    }
}
