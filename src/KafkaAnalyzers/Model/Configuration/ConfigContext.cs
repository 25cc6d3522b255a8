using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

internal enum ClientRole
{
    Unknown,
    Producer,
    Consumer,
    Admin,
}

/// <summary>
/// A configuration as one client sees it: the effective settings at a builder (<see cref="Builder"/>),
/// or, for a configuration handed off where no builder is visible, at the end of the code that fills it.
/// </summary>
internal sealed class ConfigContext
{
    public ConfigContext(ClientRole role, ConfigState state, IOperation? origin, IObjectCreationOperation? builder)
    {
        Role = role;
        State = state;
        Origin = origin;
        Builder = builder;
    }

    public ClientRole Role { get; }

    public ConfigState State { get; }

    /// <summary>The expression that creates the configuration (null when it comes from elsewhere).</summary>
    public IOperation? Origin { get; }

    /// <summary>The <c>new ProducerBuilder&lt;,&gt;(config)</c> (or consumer/admin builder) this configuration reaches.</summary>
    public IObjectCreationOperation? Builder { get; }

    /// <summary>
    /// Unset settings take librdkafka's default: the configuration is created and filled where every
    /// write is visible, and it reaches a builder in view.
    /// </summary>
    public bool DefaultsApply => Builder is not null && Origin is not null && !State.OthersUnknown;

    /// <summary>
    /// The builder is created inside a test assertion that expects a throw (<see cref="TestCode.IsExpectedToThrow"/>):
    /// the configuration is built to be rejected, no client ever runs with it, and the configuration rules stay silent.
    /// </summary>
    public bool IsBuiltToFail => Builder is not null && TestCode.IsExpectedToThrow(Builder);

    public Setting Get(string canonicalKey)
    {
        var setting = State.Get(canonicalKey);
        return setting.IsDefault && !DefaultsApply ? Setting.Unknown(null) : setting;
    }

    /// <summary>Where a rule about the whole configuration (a setting never set) is reported.</summary>
    public Location Location => (Origin ?? (IOperation?)Builder)!.Syntax.GetLocation();
}
