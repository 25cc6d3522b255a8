using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Consumers;

/// <summary>
/// The consumer rules about what happens to consumed messages: offsets (KAFKA101, 104, 106, 109, 113),
/// processing and failures (KAFKA102, 103, 107, 112), outputs confirmed before the input is committed (KAFKA115), the consumer's lifetime (KAFKA105, 111) and its assignment
/// (KAFKA116). Each asks the shared consumer and consume-loop models; none walks the code itself.
/// </summary>
internal sealed partial class ConsumerFlowAnalyzer : KafkaTypeAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA101_AutoCommitWithAsyncProcessing,
        Descriptors.KAFKA102_OffsetsFromWorkerThreads,
        Descriptors.KAFKA103_CatchAndLogWithoutDeadLetter,
        Descriptors.KAFKA104_OffsetCommittedBeforeProcessing,
        Descriptors.KAFKA105_ConsumerDisposedWithoutClose,
        Descriptors.KAFKA106_ManualCommitThatNeverCommits,
        Descriptors.KAFKA107_FatalConsumeErrorSwallowed,
        Descriptors.KAFKA109_StoreOffsetWithAutoStore,
        Descriptors.KAFKA111_ConsumerBuiltPerMessage,
        Descriptors.KAFKA112_BusyConsumeLoop,
        Descriptors.KAFKA113_CommitWithAutoCommitOn,
        Descriptors.KAFKA115_InputCommittedBeforeOutputConfirmed,
        Descriptors.KAFKA116_AssignOnSubscribedConsumer);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var consumers = analysis.Consumers;
        if (consumers.Instances.IsEmpty && consumers.Calls.IsEmpty && !HasHandlerParameters(analysis))
        {
            return;
        }

        var reporter = new DeduplicatingReporter(context);

        ReportAsyncProcessingWithAutoCommit(analysis, reporter);
        ReportWorkerThreads(analysis, reporter);
        ReportCatchAndLog(analysis, reporter);
        ReportCommitBeforeProcessing(analysis, reporter);
        ReportNeverCommits(analysis, reporter);
        ReportFatalErrorSwallowed(analysis, reporter);
        ReportStoreWithAutoStore(analysis, reporter);
        ReportDisposedWithoutClose(analysis, reporter);
        ReportBuiltPerMessage(analysis, reporter);
        ReportBusyLoops(analysis, reporter);
        ReportCommitWithAutoCommit(analysis, reporter);
        ReportCommitBeforeOutputConfirmed(analysis, reporter);
        ReportAssignOnSubscribed(analysis, reporter);
    }

    /// <summary>Handlers with a ConsumeResult parameter can exist in types that never call a consumer.</summary>
    private static bool HasHandlerParameters(KafkaTypeAnalysis analysis) => !analysis.ConsumeLoops.Handlers.IsEmpty;
}
