using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KafkaAnalyzers.Reliability.Diagnostics;

/// <summary>The names OpenTelemetry (or a MeterListener / ActivityListener) subscribes to.</summary>
public static class ReliabilityTelemetry
{
    /// <summary>Name of the <see cref="Meter"/> and <see cref="ActivitySource"/> used by every component.</summary>
    public const string Name = "KafkaAnalyzers.Reliability";

    internal static readonly Meter Meter = new(Name, typeof(ReliabilityTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ReliabilityTelemetry).Assembly.GetName().Version?.ToString());
}
