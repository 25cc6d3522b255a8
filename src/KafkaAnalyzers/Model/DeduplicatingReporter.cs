using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Reports each (rule, location) once: one configuration write can reach several clients, and each
/// client's context would otherwise report it again.
/// </summary>
internal sealed class DeduplicatingReporter
{
    private readonly SymbolAnalysisContext _context;
    private readonly HashSet<(string Id, Location Location)> _reported = new();

    public DeduplicatingReporter(SymbolAnalysisContext context) => _context = context;

    public void Report(
        DiagnosticDescriptor descriptor,
        Location location,
        ImmutableDictionary<string, string?>? properties = null,
        IEnumerable<Location>? additionalLocations = null,
        params object?[] messageArgs)
    {
        if (_reported.Add((descriptor.Id, location)))
        {
            _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, additionalLocations, properties, messageArgs));
        }
    }

    public bool WasReported(DiagnosticDescriptor descriptor, Location location) => _reported.Contains((descriptor.Id, location));
}
