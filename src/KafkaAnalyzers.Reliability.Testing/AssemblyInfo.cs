namespace KafkaAnalyzers.Reliability.Testing;
