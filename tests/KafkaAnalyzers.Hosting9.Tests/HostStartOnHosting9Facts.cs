using KafkaAnalyzers.Tests.HostStart;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Hosting9.Tests;

/// <summary>
/// KAFKA114 on Microsoft.Extensions.Hosting 9.0 (docs/rules/KAFKA114.md, "Why it matters"): the flagged worker
/// holds the host's start-up until a message arrives and its handling yields; the fixed worker does not.
/// </summary>
public class HostStartOnHosting9Facts
{
    private readonly ITestOutputHelper _output;

    public HostStartOnHosting9Facts(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_consume_loop_before_the_first_await_holds_the_next_hosted_service_until_a_message_arrives()
    {
        var run = await HostStartScenario.RunAsync(yieldFirst: false);
        _output.WriteLine(run.ToString());

        Assert.Equal(9, run.HostingMajor);
        // Idle topic: during the whole window after the worker entered Consume the second service did not start.
        var produced = Assert.IsType<TimeSpan>(run.ProducedAt);
        Assert.True(produced - run.ConsumingAt >= HostStartScenario.IdleWindow, run.ToString());
        // It started only once the first message was consumed and handled (the handler's await gave the thread back).
        Assert.True(run.SecondStartedAt > produced, run.ToString());
        Assert.True(run.Handled >= 1, run.ToString());
    }

    [Fact]
    public async Task With_await_Task_Yield_first_the_next_hosted_service_starts_on_an_idle_topic()
    {
        var run = await HostStartScenario.RunAsync(yieldFirst: true);
        _output.WriteLine(run.ToString());

        Assert.Equal(9, run.HostingMajor);
        Assert.Null(run.ProducedAt);
        Assert.Equal(0, run.Handled);
    }
}
