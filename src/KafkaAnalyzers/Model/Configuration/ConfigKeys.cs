namespace KafkaAnalyzers.Model;

/// <summary>Canonical librdkafka keys of the settings the rules read.</summary>
internal static class ConfigKeys
{
    public const string Acks = "request.required.acks";
    public const string EnableIdempotence = "enable.idempotence";
    public const string MaxInFlight = "max.in.flight.requests.per.connection";
    public const string Retries = "message.send.max.retries";
    public const string MessageTimeoutMs = "message.timeout.ms";
    public const string LingerMs = "queue.buffering.max.ms";
    public const string RequestTimeoutMs = "request.timeout.ms";
    public const string TransactionalId = "transactional.id";
    public const string TransactionTimeoutMs = "transaction.timeout.ms";
    public const string EnableGaplessGuarantee = "enable.gapless.guarantee";
    public const string QueuingStrategy = "queuing.strategy";
    public const string BackpressureThreshold = "queue.buffering.backpressure.threshold";
    public const string SessionTimeoutMs = "session.timeout.ms";
    public const string HeartbeatIntervalMs = "heartbeat.interval.ms";
    public const string MaxPollIntervalMs = "max.poll.interval.ms";
    public const string GroupId = "group.id";
    public const string EnableAutoCommit = "enable.auto.commit";
    public const string EnableAutoOffsetStore = "enable.auto.offset.store";
    public const string SecurityProtocol = "security.protocol";
    public const string SaslMechanism = "sasl.mechanisms";
    public const string EnableSslCertificateVerification = "enable.ssl.certificate.verification";
    public const string SslEndpointIdentificationAlgorithm = "ssl.endpoint.identification.algorithm";
    public const string BootstrapServers = "metadata.broker.list";
    public const string GroupProtocol = "group.protocol";
    public const string SaslPassword = "sasl.password";
    public const string SslKeyPassword = "ssl.key.password";
    public const string SslKeystorePassword = "ssl.keystore.password";
    public const string SaslOauthbearerClientSecret = "sasl.oauthbearer.client.secret";
    public const string EnableDeliveryReports = "dotnet.producer.enable.delivery.reports";
}
