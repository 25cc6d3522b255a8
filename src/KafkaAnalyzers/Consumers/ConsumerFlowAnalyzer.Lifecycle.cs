using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA105 and KAFKA111: how long a consumer lives and how it ends.
internal sealed partial class ConsumerFlowAnalyzer
{
    // ---- KAFKA105 -------------------------------------------------------------------------------

    /// <summary>Fix property: the local, field or property holding the consumer disposed without Close.</summary>
    internal const string CloseHolderProperty = "Holder";

    private static void ReportDisposedWithoutClose(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var instance in analysis.Consumers.Instances)
        {
            analysis.CancellationToken.ThrowIfCancellationRequested();

            // Owned, subscribed (a group member), never handed to other code: who closes it is in view.
            if (instance.Holder is null || !instance.IsOwned || instance.Escapes || !instance.Subscribes)
            {
                continue;
            }

            if (instance.IsLocal)
            {
                ReportLocalWithoutClose(analysis, instance, reporter);
            }
            else if (instance.IsMember)
            {
                ReportMemberWithoutClose(analysis, instance, reporter);
            }
        }
    }

    private static void ReportLocalWithoutClose(KafkaTypeAnalysis analysis, ConsumerInstance instance, DeduplicatingReporter reporter)
    {
        if (instance.Builds.Length != 1 || instance.Disposals.IsEmpty)
        {
            return;
        }

        var start = instance.Builds[0];
        if (analysis.Index.OwnerOf(start) is IMethodSymbol owner && Producers.ProducerLifetimeAnalyzer.IsTestMethod(owner))
        {
            // A test's consumer lives for one test with a throw-away group: nobody waits for its partitions
            // (confluent-kafka-dotnet's integration tests subscribe, consume and dispose on purpose).
            return;
        }

        var function = FlowGraphs.FunctionOf(start);
        if (!instance.Disposals.All(d => FlowGraphs.FunctionOf(d) == function)
            || !instance.Calls.Where(c => c.Method is ConsumerMethod.Close or ConsumerMethod.Subscribe).All(c => FlowGraphs.FunctionOf(c.Invocation) == function))
        {
            // Subscribed, closed or disposed in a lambda or local function: not one graph, the flow is unknown.
            return;
        }

        // From the build: a consumer disposed before it subscribed (an early return) never joined the group.
        var subscribes = instance.CallsTo(ConsumerMethod.Subscribe).Select(c => (IOperation)c.Invocation).ToList();
        AskAndReportClose(analysis, instance, start, startMarked: false, subscribes, instance.Disposals, function, reporter);
    }

    private static void ReportMemberWithoutClose(KafkaTypeAnalysis analysis, ConsumerInstance instance, DeduplicatingReporter reporter)
    {
        var closes = instance.CallsTo(ConsumerMethod.Close).ToList();
        if (instance.Disposals.IsEmpty)
        {
            // Never disposed and never closed in its own type: nothing ever leaves the group.
            if (closes.Count == 0 && instance.Holder!.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
            {
                reporter.Report(
                    Descriptors.KAFKA105_ConsumerDisposedWithoutClose,
                    location,
                    messageArgs: $"'{instance.Holder.Name}' subscribes but no Dispose, DisposeAsync or StopAsync of {analysis.Type.Name} closes it");
            }

            return;
        }

        foreach (var group in instance.Disposals.GroupBy(FlowGraphs.FunctionOf))
        {
            // A Close in another member (the consume loop's finally, a Stop method the disposal calls) or in a
            // lambda: the order across members is not on one graph, so the flow is unknown.
            if (closes.Any(c => FlowGraphs.FunctionOf(c.Invocation) != group.Key))
            {
                continue;
            }

            // Each disposing member may run after the consumer subscribed: paths start marked at its entry.
            AskAndReportClose(analysis, instance, start: null, startMarked: true, new List<IOperation>(), group.ToImmutableArray(), group.Key, reporter);
        }
    }

    private static void AskAndReportClose(
        KafkaTypeAnalysis analysis,
        ConsumerInstance instance,
        IOperation? start,
        bool startMarked,
        List<IOperation> marks,
        ImmutableArray<IOperation> disposals,
        IOperation function,
        DeduplicatingReporter reporter)
    {
        var targets = disposals.Where(d => FlowGraphs.FunctionOf(d) == function).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var clears = instance.CallsTo(ConsumerMethod.Close)
            .Where(c => FlowGraphs.FunctionOf(c.Invocation) == function)
            .Select(c => CloseFlowPoint(c.Invocation))
            .ToList();
        var answer = ControlFlowPaths.Ask(
            new PathQuestion(start, targets, marks, clears, startMarked),
            analysis.Symbols.Flow,
            analysis.CancellationToken);
        if (!answer.Answered)
        {
            return;
        }

        var name = instance.Holder!.Name;
        foreach (var target in targets)
        {
            if (!answer.IsReachedMarked(target))
            {
                continue;
            }

            var what = answer.ReachedMarkedNormally.Contains(target)
                ? $"'{name}' is disposed without a Close before it"
                : $"'{name}' is disposed on a cancellation path (OperationCanceledException) without a Close before it";
            var properties = ImmutableDictionary<string, string?>.Empty.Add(CloseHolderProperty, name);
            reporter.Report(Descriptors.KAFKA105_ConsumerDisposedWithoutClose, Producers.ProducerLifetimeAnalyzer.DisposalLocation(target), properties, messageArgs: what);
        }
    }

    /// <summary>
    /// <c>consumer?.Close()</c> counts where its receiver is read, before the null check: on the path where the
    /// consumer is null nothing is in the group (the lowered graph has no node for the whole conditional access).
    /// </summary>
    private static IOperation CloseFlowPoint(IInvocationOperation close)
        => close.Instance is IConditionalAccessInstanceOperation && close.Parent is IConditionalAccessOperation access ? access.Operation : close;

    // ---- KAFKA111 -------------------------------------------------------------------------------

    private static void ReportBuiltPerMessage(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var flow = analysis.Symbols.Flow;
        foreach (var instance in analysis.Consumers.Instances)
        {
            if (instance.Holder is not ILocalSymbol || instance.Builds.Length != 1 || instance.Escapes || instance.Disposals.IsEmpty)
            {
                continue;
            }

            var build = instance.Builds[0];
            var where = PerMessageBuild(analysis, instance, build, flow);
            if (where is not null)
            {
                reporter.Report(Descriptors.KAFKA111_ConsumerBuiltPerMessage, build.Syntax.GetLocation(), messageArgs: where);
            }
        }
    }

    /// <summary>How the build repeats ("inside a loop", "in 'M', which a loop calls", "per request in ..."), or null.</summary>
    private static string? PerMessageBuild(KafkaTypeAnalysis analysis, ConsumerInstance instance, IInvocationOperation build, FlowSymbols flow)
    {
        // A consume loop of the instance keeps the consumer for many messages: a restart loop around it is fine.
        if (analysis.ConsumeLoops.Loops.Any(l => l.Instance == instance && IsWithin(l.Loop, OperationIndex.Root(build)) && !IsWithin(build, l.Loop)))
        {
            return null;
        }

        if (EnclosingLoop(build) is not null)
        {
            return "inside a loop";
        }

        if (build.EnclosingFunction() is not null || analysis.Index.OwnerOf(build) is not IMethodSymbol method)
        {
            return null;
        }

        foreach (var invocation in analysis.Index.Invocations)
        {
            if (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition) && EnclosingLoop(invocation) is not null)
            {
                return $"in '{method.Name}', which a loop calls each time round";
            }
        }

        if (FlowSymbols.InheritsFrom(analysis.Type, flow.ControllerBase) && method.DeclaredAccessibility == Accessibility.Public && !method.IsStatic && method.MethodKind == MethodKind.Ordinary)
        {
            return $"in the controller action '{method.Name}', once per request";
        }

        return null;
    }

    private static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            if (parent is ILoopOperation loop)
            {
                return loop;
            }
        }

        return null;
    }
}
