using ReliablePipeline;
using ReliablePipeline.Orders;
using Xunit.Abstractions;

namespace KafkaAnalyzers.Reliability.Tests.Samples;

/// <summary>The ReliablePipeline sample's claim, checked: under the same faults the library (with in-memory retries or with retry topics) keeps every order and charges none twice, and the naive code does not.</summary>
public sealed class ReliablePipelineTests(ITestOutputHelper output)
{
    private const int OrderCount = 1000;

    [Fact]
    public async Task Same_faults_the_reliable_pipeline_loses_no_order_and_charges_none_twice_while_the_naive_one_loses_orders()
    {
        var options = new DemoOptions { OrderCount = OrderCount };
        var book = OrderBook.Generate(options.OrderCount, options.Seed);
        var refusedOrPoison = book.Records.Count(record => record.Kind != RecordKind.Valid);
        using var report = new StringWriter();

        var result = await PipelineDemo.RunAsync(options, report);
        output.WriteLine(report.ToString());

        var reliable = result.Reliable;
        Assert.True(reliable.CaughtUp, "the reliable payment service did not work through the whole topic");
        Assert.Equal(0, reliable.Lost);
        Assert.Equal(0, reliable.Duplicated);
        Assert.Equal(OrderCount, reliable.Produced);
        Assert.Equal(OrderCount, reliable.Delivered);
        Assert.True(reliable.DeadLettered >= refusedOrPoison, $"{reliable.DeadLettered} dead letters; every one of the {refusedOrPoison} poison or refused orders must be one");
        Assert.Equal(0, result.ExitCode);

        var naive = result.Naive;
        Assert.True(naive.Lost > 0, "the naive run lost nothing: the scenario no longer shows what the analyzers warn about");
        Assert.Contains(naive.LossCauses, cause => cause.Cause.Contains("KAFKA101", StringComparison.Ordinal) && cause.Count > 0);
        Assert.Contains(naive.LossCauses, cause => cause.Cause.Contains("KAFKA007", StringComparison.Ordinal) && cause.Count > 0);
        Assert.Contains(naive.LossCauses, cause => cause.Cause.StartsWith("poison", StringComparison.Ordinal) && cause.Count > 0);

        // The same faults with retry topics: nothing lost, nothing charged twice, some orders recovered through a tier.
        var retryTopics = result.RetryTopics;
        Assert.True(retryTopics.CaughtUp, "the retry-topics payment service did not work through the whole topic");
        Assert.Equal(0, retryTopics.Lost);
        Assert.Equal(0, retryTopics.Duplicated);
        Assert.True(retryTopics.RetriedThenProcessed > 0, "no order was charged after going through a retry topic");
        Assert.True(retryTopics.DeadLettered >= refusedOrPoison, $"{retryTopics.DeadLettered} dead letters with retry topics; every one of the {refusedOrPoison} poison or refused orders must be one");

        var lines = report.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal($"reliable: lost=0 duplicated=0 processed={reliable.Processed} dead-lettered={reliable.DeadLettered}", lines[^1]);
        Assert.Equal($"retry-topics: lost=0 duplicated=0 processed={retryTopics.Processed} dead-lettered={retryTopics.DeadLettered} retried-then-processed={retryTopics.RetriedThenProcessed}", lines[^2]);
        Assert.Equal($"naive: lost={naive.Lost} duplicated={naive.Duplicated} processed={naive.Processed} dead-lettered={naive.DeadLettered}", lines[^3]);
    }
}
