using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Whether any of a family's rules can report in a compilation, from the same switches the driver reads:
/// command-line/project options (<c>NoWarn</c>, <c>WarningsAsErrors</c>, rule sets), global
/// configuration files and per-file .editorconfig severities. When unsure, a rule counts as enabled.
/// </summary>
internal static class RuleSwitches
{
    public static bool AnyEnabled(ImmutableArray<DiagnosticDescriptor> descriptors, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var descriptor in descriptors)
        {
            if (!IsOffEverywhere(descriptor, compilation, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOffEverywhere(DiagnosticDescriptor descriptor, Compilation compilation, CancellationToken cancellationToken)
    {
        var options = compilation.Options;
        var provider = options.SyntaxTreeOptionsProvider;
        bool off;
        if (options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var specific))
        {
            off = specific == ReportDiagnostic.Suppress;
        }
        else if (provider is not null && provider.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out var global))
        {
            off = global == ReportDiagnostic.Suppress;
        }
        else
        {
            off = !descriptor.IsEnabledByDefault;
        }

        if (!off || provider is null)
        {
            return off;
        }

        // A file's .editorconfig may switch it back on.
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (provider.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var local) && local != ReportDiagnostic.Suppress)
            {
                return false;
            }
        }

        return true;
    }
}
