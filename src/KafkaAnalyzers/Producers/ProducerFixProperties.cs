namespace KafkaAnalyzers.Producers;

/// <summary>Diagnostic properties through which the producer call-site analyzers tell their fixes what the model knows.</summary>
internal static class ProducerFixProperties
{
    /// <summary>KAFKA007: the name of the local or field holding the disposed producer.</summary>
    public const string Holder = "KafkaProducerHolder";
}
