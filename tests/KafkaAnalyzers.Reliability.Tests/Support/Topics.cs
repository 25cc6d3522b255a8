namespace KafkaAnalyzers.Reliability.Tests.Support;

/// <summary>Unique topic names, so metrics recorded by tests running in parallel can be told apart by their topic tag.</summary>
internal static class Topics
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
