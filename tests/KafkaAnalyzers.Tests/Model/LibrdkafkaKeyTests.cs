using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>
/// Which keys librdkafka 2.16 / Confluent.Kafka 2.16 accept beyond CONFIGURATION.md, and the
/// suggestions KAFKA301 makes for the ones they reject. The accepted and rejected keys below were
/// checked by building producers, consumers and admin clients with the 2.16.0 packages.
/// </summary>
public class LibrdkafkaKeyTests
{
    [Theory]
    [InlineData("client.software.name")]
    [InlineData("client.software.version")]
    [InlineData("metadata.request.timeout.ms")]
    [InlineData("enable.sparse.connections")]
    [InlineData("enable_sasl_queue")]
    [InlineData("test.mock.num.brokers")]
    [InlineData("test.mock.broker.rtt")]
    [InlineData("ut_handle_ProduceResponse")]
    public void Every_hidden_librdkafka_key_is_known(string key) => Assert.True(LibrdkafkaProperties.IsKnown(key));

    [Theory]
    [InlineData("dotnet.producer.enable.background.poll")]
    [InlineData("dotnet.producer.enable.delivery.reports")]
    [InlineData("dotnet.producer.delivery.report.fields")]
    [InlineData("dotnet.consumer.consume.result.fields")]
    [InlineData("dotnet.cancellation.delay.max.ms")]
    public void Every_key_Confluent_consumes_itself_is_known(string key) => Assert.True(LibrdkafkaProperties.IsKnown(key));

    [Theory]
    [InlineData("topic.acks", "request.required.acks")]
    [InlineData("topic.request.required.acks", "request.required.acks")]
    [InlineData("topic.message.timeout.ms", "message.timeout.ms")]
    [InlineData("topic.delivery.timeout.ms", "message.timeout.ms")]
    [InlineData("topic.auto.offset.reset", "auto.offset.reset")]
    [InlineData("topic.metadata.refresh.interval.ms", "topic.metadata.refresh.interval.ms")]
    public void Topic_prefix_resolves_to_the_topic_level_key(string key, string canonical)
    {
        Assert.True(LibrdkafkaProperties.IsKnown(key));
        Assert.Equal(canonical, LibrdkafkaProperties.Canonical(key));
    }

    [Fact]
    public void Topic_prefixed_key_has_the_default_of_the_topic_level_key()
        => Assert.Equal("-1", LibrdkafkaProperties.Default("topic.acks"));

    [Theory]
    [InlineData("topic.group.id")] // group.id is global only: librdkafka rejects "group.id" at topic level
    [InlineData("topic.topic.metadata.refresh.interval.ms")] // the prefix is stripped once
    [InlineData("topic.foo")]
    public void Topic_prefix_on_a_key_that_is_not_topic_level_is_unknown(string key)
        => Assert.False(LibrdkafkaProperties.IsKnown(key));

    [Theory]
    [InlineData("sasl.jaas.config")] // librdkafka knows these two Java names only to reject them
    [InlineData("ssl.truststore.location")]
    [InlineData("key.serializer")]
    [InlineData("value.deserializer")]
    [InlineData("max.block.ms")]
    [InlineData("buffer.memory")]
    [InlineData("schema.registry.url")]
    [InlineData("Enable.Idempotence")]
    [InlineData("bootstrap.servers ")]
    [InlineData("error_cb.x")]
    public void Java_client_keys_typos_and_wrong_case_are_unknown(string key)
    {
        Assert.False(LibrdkafkaProperties.IsKnown(key));
        Assert.Null(LibrdkafkaProperties.Canonical(key));
    }

    [Theory]
    [InlineData("enable.idempotance", "enable.idempotence")]
    [InlineData("Enable.Idempotence", "enable.idempotence")]
    [InlineData("ACKS", "acks")]
    [InlineData("bootstrap.server", "bootstrap.servers")]
    [InlineData("bootstrap.servers ", "bootstrap.servers")]
    [InlineData("acsk", "acks")]
    [InlineData("isolation.levle", "isolation.level")]
    [InlineData("max.in.flight.request.per.connection", "max.in.flight.requests.per.connection")]
    [InlineData("linger_ms", "linger.ms")]
    [InlineData("BootstrapServers", "bootstrap.servers")]
    [InlineData("EnableDeliveryReports", "dotnet.producer.enable.delivery.reports")]
    [InlineData("dotnet.producer.enable.delivery.report", "dotnet.producer.enable.delivery.reports")]
    [InlineData("topic.acsk", "topic.acks")]
    [InlineData("topic.mesage.timeout.ms", "topic.message.timeout.ms")]
    public void Suggests_the_key_a_near_miss_meant(string key, string expected)
        => Assert.Equal(expected, LibrdkafkaProperties.SuggestFor(key));

    [Theory]
    [InlineData("key.serializer")]
    [InlineData("max.block.ms")]
    [InlineData("foo.bar")]
    [InlineData("message.timeout")] // three edits away from message.timeout.ms
    [InlineData("")]
    public void Suggests_nothing_when_no_known_key_is_near(string key)
        => Assert.Null(LibrdkafkaProperties.SuggestFor(key));

    [Fact]
    public void Suggests_nothing_when_two_known_keys_are_equally_near()
    {
        // "sasl.mechanismx" is one edit from both sasl.mechanism and sasl.mechanisms.
        Assert.True(LibrdkafkaProperties.IsKnown("sasl.mechanism"));
        Assert.True(LibrdkafkaProperties.IsKnown("sasl.mechanisms"));
        Assert.Null(LibrdkafkaProperties.SuggestFor("sasl.mechanismx"));
    }
}
