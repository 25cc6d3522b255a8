using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Producers;

/// <summary>
/// KAFKA010 ProduceAsync awaited one message at a time in a loop and KAFKA011 Flush after every message:
/// shapes that send one message per broker round-trip (Info).
/// </summary>
internal sealed class ProducerThroughputAnalyzer : KafkaTypeAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA010_AwaitInLoop,
        Descriptors.KAFKA011_FlushPerMessage);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var producers = analysis.Producers;
        if (producers.ProduceCalls.IsEmpty)
        {
            return;
        }

        var reporter = new DeduplicatingReporter(context);
        foreach (var call in producers.ProduceCalls)
        {
            ReportAwaitInLoop(analysis, call, reporter);
        }

        foreach (var instance in producers.Instances)
        {
            foreach (var flush in instance.Flushes)
            {
                ReportFlushPerMessage(analysis, instance, flush, reporter);
            }
        }
    }

    // ---- KAFKA010 -------------------------------------------------------------------------------

    private static void ReportAwaitInLoop(KafkaTypeAnalysis analysis, ProduceCall call, DeduplicatingReporter reporter)
    {
        if (!call.IsAwaited || !call.IsDelivering || call.Task.Site is not IAwaitOperation await || !AwaitsDirectly(await, call.Invocation))
        {
            return;
        }

        var loop = Loops.Innermost(await);
        if (loop is null || Loops.LeavesEarly(loop) || Loops.Calls(loop, analysis.Symbols.IConsumerConsume) || Loops.Calls(loop, analysis.Symbols.Flow.PacingMethods))
        {
            // No loop; a retry loop that stops once the send succeeded; a consume-transform-produce
            // loop, where awaiting each output before its input's offset moves is the safe pattern (KAFKA115);
            // or a loop paced by a delay or by console input, where the round-trip is not what limits it.
            return;
        }

        reporter.Report(Descriptors.KAFKA010_AwaitInLoop, await.Syntax.GetLocation());
    }

    /// <summary><c>await producer.ProduceAsync(..)</c> or with <c>.ConfigureAwait(..)</c>: not through WhenAll.</summary>
    private static bool AwaitsDirectly(IAwaitOperation await, IInvocationOperation produce)
    {
        var operand = await.Operation.WalkDownConversions();
        if (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
        {
            operand = configure.Instance?.WalkDownConversions();
        }

        return operand == produce;
    }

    // ---- KAFKA011 -------------------------------------------------------------------------------

    private static void ReportFlushPerMessage(KafkaTypeAnalysis analysis, ProducerInstance instance, FlushCall flush, DeduplicatingReporter reporter)
    {
        var queuing = instance.QueuingProduces.ToList();
        if (queuing.Count == 0)
        {
            return;
        }

        var loop = Loops.Innermost(flush.Invocation);
        if (loop is not null)
        {
            // In the same iteration as a single produce (not one in a nested loop: that is a batch).
            var inIteration = queuing.Where(p => Loops.Innermost(p.Invocation) == loop).ToList();
            if (inIteration.Count == 1 && !queuing.Any(p => p != inIteration[0] && Loops.Contains(loop, p.Invocation)))
            {
                reporter.Report(Descriptors.KAFKA011_FlushPerMessage, flush.Invocation.Syntax.GetLocation(), messageArgs: "in the same loop iteration as the Produce");
            }

            return;
        }

        // A long-lived producer's method that sends one message and flushes: called once per message.
        if (instance.Kind is not (HolderKind.Field or HolderKind.Parameter)
            || flush.Invocation.EnclosingFunction() is not null
            || analysis.Index.OwnerOf(flush.Invocation) is not IMethodSymbol { MethodKind: MethodKind.Ordinary, Parameters.Length: > 0 } method
            || ProducerLifetimeAnalyzer.ShutdownMethods.Contains(method.Name))
        {
            return;
        }

        var inMethod = instance.Produces
            .Where(p => p.IsDelivering && analysis.Index.OwnerOf(p.Invocation) is { } owner && SymbolEqualityComparer.Default.Equals(owner, method))
            .ToList();
        if (inMethod.Count == 1
            && inMethod[0].LeavesMessageQueued
            && inMethod[0].Invocation.EnclosingFunction() is null
            && Loops.Innermost(inMethod[0].Invocation) is null
            && inMethod[0].Invocation.IsBefore(flush.Invocation))
        {
            reporter.Report(Descriptors.KAFKA011_FlushPerMessage, flush.Invocation.Syntax.GetLocation(), messageArgs: $"after the single Produce in '{method.Name}', which runs once per message");
        }
    }
}
