using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA101, KAFKA104, KAFKA106, KAFKA109, KAFKA113: when offsets are stored and committed.
internal sealed partial class ConsumerFlowAnalyzer
{
    /// <summary>Diagnostic properties of the KAFKA101 and KAFKA104 fixes (read by the consumer code fix).</summary>
    internal static class FlowFix
    {
        public const string Kind = "KafkaFlowFix";
        public const string AwaitThenStore = "AwaitThenStore";
        public const string MoveAfter = "MoveAfter";

        /// <summary>The consumer expression to call StoreOffset on, and the result variable.</summary>
        public const string Consumer = "KafkaFlowConsumer";
        public const string Result = "KafkaFlowResult";
    }

    // ---- KAFKA101 -------------------------------------------------------------------------------

    private static void ReportAsyncProcessingWithAutoCommit(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            if (loop.Instance?.Config is not { } config)
            {
                continue;
            }

            var settings = new ConsumerSettings(config);
            if (!settings.AutoCommitOn || !settings.AutoOffsetStoreOn)
            {
                continue;
            }

            foreach (var result in loop.Results)
            {
                foreach (var use in result.Uses)
                {
                    if (use.Kind != ResultUseKind.HandedOff || use.HandOff is not { RunsConcurrently: true } handOff || !loop.Contains(handOff.Operation))
                    {
                        continue;
                    }

                    var (properties, additional) = AwaitThenStoreFix(analysis, loop, result, handOff, settings);
                    reporter.Report(Descriptors.KAFKA101_AutoCommitWithAsyncProcessing, handOff.Location, properties, additional, HandOffName(handOff));
                }
            }
        }
    }

    private static string HandOffName(HandOff handOff)
        => handOff.Operation switch
        {
            IInvocationOperation invocation when handOff.Kind == HandOffKind.AsyncCall => $"'{invocation.TargetMethod.Name}', an async call",
            IInvocationOperation invocation => $"'{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}'",
            IObjectCreationOperation creation => $"a new '{creation.Type?.Name}'",
            _ => "another thread",
        };

    /// <summary>
    /// The fix for <c>_ = Task.Run(...)</c> and a discarded async call in an async function: set
    /// EnableAutoOffsetStore = false, await the work, then store the result's offset.
    /// </summary>
    private static (ImmutableDictionary<string, string?>? Properties, Location[]? Additional) AwaitThenStoreFix(
        KafkaTypeAnalysis analysis, ConsumeLoop loop, ConsumedResult result, HandOff handOff, ConsumerSettings settings)
    {
        // Task.Run unwraps an async lambda's task; StartNew would need Unwrap() to wait for the work.
        if (handOff.Operation is not IInvocationOperation invocation
            || !(handOff.Kind == HandOffKind.AsyncCall || (handOff.Kind == HandOffKind.Task && invocation.TargetMethod.Name == "Run"))
            || result.Variable is null
            || !IsDiscardedStatement(invocation)
            || !IsInAsyncFunction(invocation)
            || !loop.ContainsDirectly(invocation)
            || ConsumerExpression(loop.Instance) is not { } consumer
            || !IsInScopeAt(result.Variable, invocation))
        {
            return (null, null);
        }

        var config = ConfigFix.Set(analysis.Symbols, settings.Context, settings.AutoOffsetStore, "EnableAutoOffsetStore", ConfigKeys.EnableAutoOffsetStore, "false", invocation.Syntax.SyntaxTree);
        if (config is not { } fix)
        {
            return (null, null);
        }

        var properties = fix.Properties
            .Add(FlowFix.Kind, FlowFix.AwaitThenStore)
            .Add(FlowFix.Consumer, consumer)
            .Add(FlowFix.Result, result.Variable.Name);
        return (properties, fix.AdditionalLocations);
    }

    private static bool IsDiscardedStatement(IInvocationOperation invocation)
    {
        var parent = invocation.ParentIgnoringConversions(out var child);
        return parent is IExpressionStatementOperation
               || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment && assignment.Value == child && assignment.Parent is IExpressionStatementOperation);
    }

    private static bool IsInAsyncFunction(IOperation operation)
        => operation.EnclosingFunction() switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol.IsAsync,
            ILocalFunctionOperation local => local.Symbol.IsAsync,
            _ => operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) is IMethodSymbol { IsAsync: true },
        };

    /// <summary>How code in the type names the consumer: a local, a field or property (<c>this.</c> not needed), a parameter.</summary>
    private static string? ConsumerExpression(ConsumerInstance? instance)
        => instance?.Holder is ILocalSymbol or IFieldSymbol or IPropertySymbol or IParameterSymbol ? instance.Holder.Name : null;

    private static bool IsInScopeAt(ISymbol symbol, IOperation at)
        => at.SemanticModel?.LookupSymbols(at.Syntax.SpanStart, name: symbol.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, symbol)) == true;

    // ---- KAFKA104 -------------------------------------------------------------------------------

    private static void ReportCommitBeforeProcessing(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        HashSet<ILocalSymbol>? outputTasks = null;
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            foreach (var result in loop.Results)
            {
                foreach (var (commit, processing) in CommitsBeforeProcessing(loop, result, outputTasks ??= OutputTasks(analysis)))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(FlowFix.Kind, FlowFix.MoveAfter);
                    var name = commit.Invocation.TargetMethod.Name;
                    reporter.Report(
                        Descriptors.KAFKA104_OffsetCommittedBeforeProcessing,
                        commit.Invocation.Syntax.GetLocation(),
                        MovableAfter(commit, processing) ? properties : null,
                        new[] { processing.Syntax.GetLocation() },
                        name);
                }
            }
        }
    }

    /// <summary>
    /// Commit/StoreOffset statements of the result (or an argument-less Commit) followed, in the same
    /// block of the iteration, by a statement that processes the result; with the last such statement.
    /// </summary>
    /// <summary>
    /// Locals holding the task of a Confluent <c>ProduceAsync</c>: awaiting one after the commit is the output's
    /// confirmation coming late, which KAFKA115 reports (and fixes), not processing of the input.
    /// </summary>
    private static HashSet<ILocalSymbol> OutputTasks(KafkaTypeAnalysis analysis)
    {
        var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var produce in analysis.Producers.ProduceCalls)
        {
            if (produce.IsAsync && produce.Invocation.ParentIgnoringConversions(out _) is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                locals.Add(declarator.Symbol);
            }
        }

        return locals;
    }

    private static IEnumerable<(ConsumerCall Commit, IOperation LastProcessing)> CommitsBeforeProcessing(ConsumeLoop loop, ConsumedResult result, HashSet<ILocalSymbol> outputTasks)
    {
        if (result.Variable is null)
        {
            yield break;
        }

        var consumeStatement = StatementOf(result.Consume.Invocation);
        var commits = new List<ConsumerCall>();
        foreach (var use in result.Uses)
        {
            if (use.Kind == ResultUseKind.MarkedDone && use.Call is { } call)
            {
                commits.Add(call);
            }
        }

        foreach (var call in loop.Instance?.Calls ?? ImmutableArray<ConsumerCall>.Empty)
        {
            if (call.Method == ConsumerMethod.Commit && call.Invocation.Arguments.Length == 0 && loop.ContainsDirectly(call.Invocation)
                && consumeStatement is not null && consumeStatement.IsBefore(call.Invocation))
            {
                commits.Add(call);
            }
        }

        foreach (var commit in commits)
        {
            if (StatementOf(commit.Invocation) is not IExpressionStatementOperation statement || statement.Parent is not IBlockOperation block)
            {
                continue;
            }

            IOperation? last = null;
            var after = false;
            foreach (var next in block.Operations)
            {
                if (!after)
                {
                    after = next == statement;
                    continue;
                }

                if (Processes(next, result, outputTasks))
                {
                    last = next;
                }
            }

            if (last is not null)
            {
                yield return (commit, last);
            }
        }
    }

    private static bool Processes(IOperation statement, ConsumedResult result, HashSet<ILocalSymbol> outputTasks)
    {
        foreach (var use in result.Uses)
        {
            if (use.Kind is ResultUseKind.Processed or ResultUseKind.HandedOff && IsWithin(use.Reference, statement)
                && !(use.Reference is ILocalReferenceOperation local && outputTasks.Contains(local.Local)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The commit can move after <paramref name="last"/>: no jump or declaration it needs lies in between.</summary>
    private static bool MovableAfter(ConsumerCall commit, IOperation last)
    {
        var statement = StatementOf(commit.Invocation)!;
        var block = (IBlockOperation)statement.Parent!;
        var between = false;
        foreach (var next in block.Operations)
        {
            if (next == statement)
            {
                between = true;
                continue;
            }

            if (!between)
            {
                continue;
            }

            // A jump in between would skip the moved commit on a path that processed the message.
            foreach (var node in next.DescendantsAndSelf())
            {
                if (node is IBranchOperation or IReturnOperation && node.EnclosingFunction() == statement.EnclosingFunction())
                {
                    return false;
                }
            }

            if (next == last)
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? StatementOf(IOperation operation)
    {
        for (var current = operation; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent is IBlockOperation)
            {
                return current;
            }
        }

        return null;
    }

    private static bool IsWithin(IOperation operation, IOperation container)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }

    // ---- KAFKA106 -------------------------------------------------------------------------------

    private static void ReportNeverCommits(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var consumers = analysis.Consumers;

        // Commits through any consumer the type does not build itself (a partition handler's parameter,
        // a helper's parameter) may be commits of this one; SendOffsetsToTransaction commits for it.
        var committedElsewhere = consumers.Calls.Any(c => c.Method == ConsumerMethod.Commit && (c.Instance is null || c.Instance.Builds.IsEmpty))
                                 || analysis.Index.Invocations.Any(i => i.TargetMethod.Name == "SendOffsetsToTransaction");
        if (committedElsewhere)
        {
            return;
        }

        foreach (var instance in consumers.Instances)
        {
            if (!instance.IsOwned || instance.Escapes || instance.Config is not { } config
                || !instance.Subscribes || instance.AssignsManually
                || instance.CallsTo(ConsumerMethod.Commit).Any())
            {
                continue;
            }

            var settings = new ConsumerSettings(config);
            if (!settings.AutoCommitOff || IsThrowawayGroup(settings.GroupId))
            {
                continue;
            }

            var write = settings.AutoCommit.Write!;
            var location = write.Location.SourceTree == instance.Location.SourceTree ? write.Location : instance.Location;
            reporter.Report(Descriptors.KAFKA106_ManualCommitThatNeverCommits, location, messageArgs: analysis.Type.Name);
        }
    }

    /// <summary>A group id made fresh for each run (<c>Guid.NewGuid()</c>): nothing to resume, nothing to commit.</summary>
    private static bool IsThrowawayGroup(Setting groupId)
    {
        if (groupId.Write?.ValueOperation is not { } value)
        {
            return false;
        }

        foreach (var node in value.DescendantsAndSelf())
        {
            if (node is IInvocationOperation { TargetMethod.Name: "NewGuid" })
            {
                return true;
            }
        }

        return false;
    }

    // ---- KAFKA109 -------------------------------------------------------------------------------

    private static void ReportStoreWithAutoStore(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var instance in analysis.Consumers.Instances)
        {
            if (instance.Config is not { } config)
            {
                continue;
            }

            var settings = new ConsumerSettings(config);
            if (!settings.AutoOffsetStoreOn)
            {
                continue;
            }

            foreach (var store in instance.CallsTo(ConsumerMethod.StoreOffset))
            {
                var location = store.Invocation.Syntax.GetLocation();
                var fix = ConfigFix.Set(analysis.Symbols, config, settings.AutoOffsetStore, "EnableAutoOffsetStore", ConfigKeys.EnableAutoOffsetStore, "false", location.SourceTree!);
                reporter.Report(
                    Descriptors.KAFKA109_StoreOffsetWithAutoStore,
                    location,
                    fix?.Properties,
                    fix?.AdditionalLocations,
                    settings.AutoOffsetStore.IsKnown ? "sets" : "leaves");
            }
        }
    }

    // ---- KAFKA113 -------------------------------------------------------------------------------

    private static void ReportCommitWithAutoCommit(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var instance in analysis.Consumers.Instances)
        {
            if (instance.Config is not { } config)
            {
                continue;
            }

            var settings = new ConsumerSettings(config);
            if (!settings.AutoCommitOn || !settings.AutoOffsetStoreOn)
            {
                continue;
            }

            foreach (var commit in instance.CallsTo(ConsumerMethod.Commit))
            {
                if (instance.IsInPartitionHandler(commit.Invocation))
                {
                    continue;
                }

                var location = commit.Invocation.Syntax.GetLocation();
                var fix = ConfigFix.Set(analysis.Symbols, config, settings.AutoCommit, "EnableAutoCommit", ConfigKeys.EnableAutoCommit, "false", location.SourceTree!);
                reporter.Report(
                    Descriptors.KAFKA113_CommitWithAutoCommitOn,
                    location,
                    fix?.Properties,
                    fix?.AdditionalLocations,
                    settings.AutoCommit.IsKnown && settings.AutoOffsetStore.IsKnown ? "sets" : "leaves");
            }
        }
    }
}
