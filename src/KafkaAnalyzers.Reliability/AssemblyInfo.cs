namespace KafkaAnalyzers.Reliability;
