using ReliablePipeline.Reporting;

namespace ReliablePipeline;

/// <summary>Both runs' counts.</summary>
/// <param name="Naive">The fire-and-forget implementation.</param>
/// <param name="Reliable">The library-based implementation.</param>
/// <param name="RetryTopics">The library-based implementation with retry topics.</param>
public sealed record DemoResult(RunTally Naive, RunTally Reliable, RunTally RetryTopics)
{
    /// <summary>0 when both library-based runs lost no order and charged none twice, 1 otherwise.</summary>
    public int ExitCode => Reliable.Lost == 0 && Reliable.Duplicated == 0 && RetryTopics.Lost == 0 && RetryTopics.Duplicated == 0 ? 0 : 1;
}
