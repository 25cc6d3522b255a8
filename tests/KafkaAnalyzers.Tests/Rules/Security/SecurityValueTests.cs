using KafkaAnalyzers.Security;

namespace KafkaAnalyzers.Tests.Rules.Security;

/// <summary>The value readers behind KAFKA201 (credential or placeholder) and KAFKA202/203 (loopback brokers).</summary>
public class SecurityValueTests
{
    [Theory]
    [InlineData("hunter2")]
    [InlineData("password")]
    [InlineData("changeme")]
    [InlineData("c2LzQ9HAhrCext2rkul+T6m9n/xsx")]
    [InlineData("a<b")]
    [InlineData("pa$$word")]
    [InlineData("$lowercase")]
    [InlineData("{unbalanced")]
    [InlineData("Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=q8Zr1mW0x3Yb7Tn")]
    public void Credentials(string value) => Assert.True(CredentialValues.IsCredential(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("<secret>")]
    [InlineData("{secret}")]
    [InlineData("${SECRET}")]
    [InlineData("$(Secret)")]
    [InlineData("#{Secret}#")]
    [InlineData("#{Secret}")]
    [InlineData("%SECRET%")]
    [InlineData("__SECRET__")]
    [InlineData("[secret]")]
    [InlineData("$KAFKA_SECRET")]
    [InlineData("****")]
    [InlineData("XXXX-XXXX")]
    [InlineData("???")]
    [InlineData("Your-Secret")]
    [InlineData("prefix-<tenant name>-suffix")]
    [InlineData("key=${KEY};other=1")]
    [InlineData("key={{ key }}")]
    public void Placeholders_and_blanks(string? value) => Assert.False(CredentialValues.IsCredential(value));

    [Theory]
    [InlineData("localhost:9092")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1:9092,127.0.1.1:9093")]
    [InlineData("[::1]:9092")]
    [InlineData("::1")]
    [InlineData("SASL_PLAINTEXT://localhost:9092")]
    [InlineData("localhost:9092, localhost:9093")]
    public void Loopback_broker_lists(string servers) => Assert.True(BootstrapServers.AllLoopback(servers));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kafka:9092")]
    [InlineData("localhost:9092,kafka-2:9092")]
    [InlineData("127.0.0.1.nip.io:9092")]
    [InlineData("10.0.0.1:9092")]
    [InlineData("localhost.example.com:9092")]
    [InlineData("[2001:db8::1]:9092")]
    public void Remote_or_unknown_broker_lists(string? servers) => Assert.False(BootstrapServers.AllLoopback(servers));
}
