namespace KafkaAnalyzers.Tests;

public class SmokeTests
{
    [Fact]
    public void Descriptor_has_help_link() => Assert.EndsWith("KAFKA001.md", Descriptors.KAFKA001_WeakAcks.HelpLinkUri);
}
