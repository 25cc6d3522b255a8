using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA115: the input's offset is committed before the output produced for it is confirmed.
internal sealed partial class ConsumerFlowAnalyzer
{
    internal static class OutputFix
    {
        /// <summary>
        /// Present (value "Await") when every unconfirmed output is a ProduceAsync in an async function that the
        /// fix can await before the commit; the additional locations are those ProduceAsync calls.
        /// </summary>
        public const string Kind = "KafkaOutputFix";
        public const string Await = "Await";
    }

    // ---- KAFKA115 -------------------------------------------------------------------------------

    /// <summary>
    /// For each commit of an input (a consume loop's result, or a handler's <c>ConsumeResult</c> parameter),
    /// the produce calls of the same function whose message can still be unconfirmed when the commit runs:
    /// on a path from the consume (the handler's entry) through the produce to the commit, with none of the
    /// places that confirm that delivery (<see cref="DeliveryConfirmation"/>) in between. Asked of the
    /// function's control-flow graph; silent for transactional producers and for tasks the model cannot follow.
    /// </summary>
    private static void ReportCommitBeforeOutputConfirmed(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var producers = analysis.Producers;
        if (producers.ProduceCalls.IsEmpty)
        {
            return;
        }

        var consumers = analysis.Consumers;
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            foreach (var result in loop.Results)
            {
                var commits = loop.InputCommits(result, consumers);
                if (commits.IsEmpty)
                {
                    continue;
                }

                var start = result.Consume.Invocation;
                var function = FlowGraphs.FunctionOf(start);
                var produces = producers.ProduceCalls.Where(p => FlowGraphs.FunctionOf(p.Invocation) == function && loop.Contains(p.Invocation));
                ReportUnconfirmed(analysis, reporter, start, function, commits, produces);
            }
        }

        foreach (var handler in analysis.ConsumeLoops.Handlers)
        {
            var commits = handler.InputCommits(consumers);
            if (commits.IsEmpty)
            {
                continue;
            }

            var produces = producers.ProduceCalls.Where(p => FlowGraphs.FunctionOf(p.Invocation) == handler.Body);
            ReportUnconfirmed(analysis, reporter, start: null, handler.Body, commits, produces);
        }
    }

    private static void ReportUnconfirmed(
        KafkaTypeAnalysis analysis,
        DeduplicatingReporter reporter,
        IOperation? start,
        IOperation function,
        ImmutableArray<ConsumerCall> commits,
        IEnumerable<ProduceCall> produces)
    {
        var unconfirmed = new Dictionary<ConsumerCall, List<ProduceCall>>();
        foreach (var produce in produces)
        {
            var confirmation = analysis.Producers.ConfirmationOf(produce, analysis.Index, analysis.Symbols.Flow, analysis.ProjectCalls);
            if (confirmation.Kind != ConfirmationKind.AtSites)
            {
                continue;
            }

            var clears = confirmation.Sites.Where(s => FlowGraphs.FunctionOf(s) == function);
            var question = new PathQuestion(start, commits.Select(c => (IOperation)c.Invocation), new[] { produce.Invocation }, clears, throughCaughtExceptions: true);
            var answer = ControlFlowPaths.Ask(question, analysis.Symbols.Flow, analysis.CancellationToken);
            if (!answer.Answered)
            {
                continue;
            }

            foreach (var commit in commits)
            {
                if (answer.ReachedMarkedNormally.Contains(commit.Invocation))
                {
                    if (!unconfirmed.TryGetValue(commit, out var list))
                    {
                        unconfirmed[commit] = list = new List<ProduceCall>();
                    }

                    list.Add(produce);
                }
            }
        }

        foreach (var commit in commits)
        {
            if (!unconfirmed.TryGetValue(commit, out var outputs))
            {
                continue;
            }

            var first = outputs[0];
            var what = first.IsAsync ? "'ProduceAsync' (not awaited before it)" : "'Produce' (no Flush before it)";
            var fixable = outputs.All(o => CanAwaitBefore(o, commit));
            reporter.Report(
                Descriptors.KAFKA115_InputCommittedBeforeOutputConfirmed,
                commit.Invocation.Syntax.GetLocation(),
                fixable ? ImmutableDictionary<string, string?>.Empty.Add(OutputFix.Kind, OutputFix.Await) : null,
                outputs.Select(o => o.Invocation.Syntax.GetLocation()).ToArray(),
                commit.Invocation.TargetMethod.Name,
                what);
        }
    }

    /// <summary>
    /// The fix can await <paramref name="produce"/> before <paramref name="commit"/>: an async function (neither
    /// inside a <c>lock</c>), and
    /// either a discarded <c>ProduceAsync</c> statement (awaited where it is) or one whose task initialises a
    /// local that is in scope at the commit, a statement of a block (<c>await task;</c> goes before it).
    /// </summary>
    private static bool CanAwaitBefore(ProduceCall produce, ConsumerCall commit)
    {
        if (!produce.IsAsync || !IsInAsyncFunction(produce.Invocation) || produce.Invocation.IsImplicit
            || InsideLock(produce.Invocation) || InsideLock(commit.Invocation))
        {
            return false;
        }

        var parent = produce.Invocation.ParentIgnoringConversions(out var child);
        if (parent is IExpressionStatementOperation
            || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard && discard.Value == child && discard.Parent is IExpressionStatementOperation))
        {
            return true;
        }

        return parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
               && StatementOf(commit.Invocation) is IExpressionStatementOperation { Parent: IBlockOperation }
               && IsInScopeAt(declarator.Symbol, commit.Invocation);
    }

    /// <summary>Inside a <c>lock</c> of its function, where C# allows no <c>await</c>.</summary>
    private static bool InsideLock(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); parent = parent.Parent)
        {
            if (parent is ILockOperation)
            {
                return true;
            }
        }

        return false;
    }
}
