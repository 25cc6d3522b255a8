using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>Something that happens to a tracked configuration after its creation, in source order.</summary>
internal readonly struct ConfigEvent
{
    private readonly Kind _kind;
    private readonly string? _key;
    private readonly bool _conditional;

    private ConfigEvent(IOperation at, Kind kind, ConfigWrite? write, string? key, bool conditional, bool external)
    {
        At = at;
        _kind = kind;
        Write = write;
        _key = key;
        _conditional = conditional;
        External = external;
    }

    private enum Kind
    {
        Write,
        Remove,
        Unknowable,
    }

    public IOperation At { get; }

    public ConfigWrite? Write { get; }

    /// <summary>Happens in a member other than the constructor that set up a field configuration: its timing is unknown.</summary>
    public bool External { get; }

    public static ConfigEvent ForWrite(IOperation at, ConfigWrite write, bool external = false)
        => new(at, Kind.Write, write, write.CanonicalKey, write.IsConditional, external);

    public static ConfigEvent ForRemove(IOperation at, string canonicalKey, bool conditional, bool external)
        => new(at, Kind.Remove, null, canonicalKey, conditional, external);

    /// <summary>Code we cannot see may change any setting from here on.</summary>
    public static ConfigEvent Unknowable(IOperation at, bool external)
        => new(at, Kind.Unknowable, null, null, conditional: true, external);

    public void ApplyTo(ConfigState state)
    {
        switch (_kind)
        {
            case Kind.Write:
                state.Apply(Write!);
                break;
            case Kind.Remove:
                state.Remove(_key!, _conditional);
                break;
            default:
                state.MakeEverythingUnknown();
                break;
        }
    }

    public void ApplyAsUnknownTo(ConfigState state)
    {
        if (_kind == Kind.Unknowable || _key is null)
        {
            state.MakeEverythingUnknown();
        }
        else
        {
            state.MakeUnknown(_key);
        }
    }
}
