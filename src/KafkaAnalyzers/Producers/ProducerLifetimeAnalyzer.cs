using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Producers;

/// <summary>
/// KAFKA007 producer disposed without Flush and KAFKA008 producer built per message: how long an owned
/// producer lives and what is still queued when it dies, read from the producer model and answered on
/// the control-flow graph.
/// </summary>
internal sealed class ProducerLifetimeAnalyzer : KafkaTypeAnalyzer
{
    /// <summary>Members whose job is to shut a service down (where a final Flush belongs, and where flushing once is right).</summary>
    internal static readonly ImmutableHashSet<string> ShutdownMethods = ImmutableHashSet.Create(
        "Dispose", "DisposeAsync", "StopAsync", "Stop", "Close", "CloseAsync", "Shutdown", "ShutdownAsync");

    private static readonly ImmutableHashSet<string> TestAttributes = ImmutableHashSet.Create(
        "Fact", "FactAttribute", "Theory", "TheoryAttribute", "Test", "TestAttribute", "TestMethod", "TestMethodAttribute", "TestCase", "TestCaseAttribute",
        "DataTestMethod", "DataTestMethodAttribute");

    private static readonly ImmutableHashSet<string> UnresolvedTestAttributes = TestAttributes.Union(new[]
    {
        "SkippableFact", "SkippableFactAttribute", "SkippableTheory", "SkippableTheoryAttribute",
    });

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA007_DisposedWithoutFlush,
        Descriptors.KAFKA008_ProducerPerMessage);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var producers = analysis.Producers;
        if (producers.Instances.IsEmpty)
        {
            return;
        }

        var reporter = new DeduplicatingReporter(context);
        foreach (var instance in producers.Instances)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!instance.IsOwned || instance.IsDependent || instance.IsTransactional || instance.Escapes || !instance.QueuingProduces.Any())
            {
                continue;
            }

            if (instance.Kind == HolderKind.Local)
            {
                ReportLocal(analysis, instance, reporter, context);
            }
            else if (instance.Kind == HolderKind.Field)
            {
                ReportField(analysis, instance, reporter, context);
            }
        }

        foreach (var build in producers.Builds)
        {
            ReportPerMessage(analysis, build, reporter);
        }
    }

    // ---- KAFKA007 -------------------------------------------------------------------------------

    private static void ReportLocal(KafkaTypeAnalysis analysis, ProducerInstance instance, DeduplicatingReporter reporter, SymbolAnalysisContext context)
    {
        if (instance.Disposals.IsEmpty || instance.Builds.Length != 1)
        {
            return;
        }

        var start = instance.Builds[0];
        var function = FlowGraphs.FunctionOf(start);
        if (!instance.Disposals.All(d => FlowGraphs.FunctionOf(d) == function)
            || !instance.QueuingProduces.All(p => InFunction(p.Invocation, function))
            || !instance.Flushes.All(f => InFunction(f.Invocation, function)))
        {
            // Produced, flushed or disposed in a local function (or another member): not one graph.
            return;
        }

        // A message the code waits for (its task, or its handler's signal) is confirmed there, whatever Flush does.
        var unconfirmed = new List<IOperation>();
        var groups = new List<MarkGroup>();
        foreach (var produce in instance.QueuingProduces)
        {
            var confirmations = DeliveryConfirmation.MessageSites(produce, function, analysis.Index, analysis.Symbols.Flow, context.CancellationToken);
            if (confirmations.IsEmpty)
            {
                unconfirmed.Add(produce.Invocation);
            }
            else
            {
                groups.Add(new MarkGroup(new[] { produce.Invocation }, confirmations));
            }
        }

        if (unconfirmed.Count > 0)
        {
            groups.Add(new MarkGroup(unconfirmed, Array.Empty<IOperation>()));
        }

        AskAndReport(analysis, instance, start, startMarked: false, instance.Disposals, groups, ImmutableArray<IInvocationOperation>.Empty, reporter, context);
    }

    private static void ReportField(KafkaTypeAnalysis analysis, ProducerInstance instance, DeduplicatingReporter reporter, SymbolAnalysisContext context)
    {
        var field = (IFieldSymbol)instance.Holder!;
        var flushingMethods = FlushingMethods(analysis, instance);
        if (instance.Disposals.IsEmpty)
        {
            // Never disposed: fine when some method of the type flushes it (the owner calls it at shutdown).
            if (!instance.Flushes.IsEmpty || flushingMethods.Count > 0)
            {
                return;
            }

            var location = field.Locations.FirstOrDefault(l => l.IsInSource);
            if (location is not null)
            {
                reporter.Report(
                    Descriptors.KAFKA007_DisposedWithoutFlush,
                    location,
                    messageArgs: $"'{field.Name}' is produced through but no Dispose, DisposeAsync or StopAsync of {analysis.Type.Name} flushes it");
            }

            return;
        }

        // One method shuts the producer down properly (flush, look at the count, dispose); the other
        // disposals are fallbacks for when it did not run (confluent-kafka-dotnet's VerifiableClient).
        if (ProperShutdown.ElsewhereThanFallbacks(instance.Disposals, function => AccountingFlushes(instance, function, flushingMethods), analysis.Symbols.Flow, context.CancellationToken))
        {
            return;
        }

        // Each method that disposes the field: everything produced earlier may still be queued when it starts.
        var groups = instance.Disposals.GroupBy(d => FlowGraphs.FunctionOf(d)).ToList();
        foreach (var group in groups)
        {
            var disposals = group.ToImmutableArray();
            var calls = CallsTo(flushingMethods, group.Key);
            var marks = instance.QueuingProduces.Where(p => InFunction(p.Invocation, group.Key)).Select(p => (IOperation)p.Invocation).ToList();
            AskAndReport(analysis, instance, start: null, startMarked: true, disposals, new[] { new MarkGroup(marks, Array.Empty<IOperation>()) }, calls, reporter, context);
        }
    }

    /// <summary>The flushes in <paramref name="function"/> whose count is read, and its calls to methods that flush so.</summary>
    private static IReadOnlyList<IOperation> AccountingFlushes(ProducerInstance instance, IOperation function, HashSet<IMethodSymbol> flushingMethods)
        => instance.Flushes.Where(f => f.Accounts && InFunction(f.Invocation, function)).Select(f => FlowPoint(f.Invocation))
            .Concat(CallsTo(flushingMethods, function))
            .ToList();

    private static void AskAndReport(
        KafkaTypeAnalysis analysis,
        ProducerInstance instance,
        IOperation? start,
        bool startMarked,
        ImmutableArray<IOperation> disposals,
        IReadOnlyList<MarkGroup> groups,
        ImmutableArray<IInvocationOperation> flushingCalls,
        DeduplicatingReporter reporter,
        SymbolAnalysisContext context)
    {
        var function = FlowGraphs.FunctionOf(start ?? disposals[0]);
        var flushes = instance.Flushes.Where(f => InFunction(f.Invocation, function)).ToList();
        var anyFlush = flushes.Select(f => FlowPoint(f.Invocation)).Concat(flushingCalls).ToList();
        var accountingFlush = flushes.Where(f => f.Accounts).Select(f => FlowPoint(f.Invocation)).Concat(flushingCalls).ToList();

        var targets = disposals.Where(d => FlowGraphs.FunctionOf(d) == function).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        // Each group of produces is asked on its own: its clears are the flushes plus what confirms its messages.
        var symbols = analysis.Symbols.Flow;
        var unflushed = new List<PathAnswer>();
        var ignored = new List<PathAnswer>();
        foreach (var group in groups)
        {
            var answer = ControlFlowPaths.Ask(new PathQuestion(start, targets, group.Marks, anyFlush.Concat(group.Confirmations), startMarked), symbols, context.CancellationToken);
            if (!answer.Answered)
            {
                return;
            }

            unflushed.Add(answer);
            var counted = ControlFlowPaths.Ask(new PathQuestion(start, targets, group.Marks, accountingFlush.Concat(group.Confirmations), startMarked), symbols, context.CancellationToken);
            if (counted.Answered)
            {
                ignored.Add(counted);
            }
        }

        var name = instance.Holder!.Name;
        foreach (var target in targets)
        {
            string? what = null;
            if (unflushed.Any(a => a.IsReachedMarked(target)))
            {
                what = unflushed.Any(a => a.ReachedMarkedNormally.Contains(target))
                    ? $"'{name}' is disposed without a Flush after its last Produce"
                    : $"'{name}' is disposed on a cancellation path (OperationCanceledException) without a Flush after its last Produce";
            }
            else if (ignored.Any(a => a.IsReachedMarked(target)))
            {
                what = $"The count Flush returns (messages still queued) is ignored before '{name}' is disposed";
            }

            if (what is not null)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(ProducerFixProperties.Holder, name);
                reporter.Report(Descriptors.KAFKA007_DisposedWithoutFlush, DisposalLocation(target), properties, messageArgs: what);
            }
        }
    }

    /// <summary>Produce calls asked about together, and the operations besides a flush that confirm their messages.</summary>
    private readonly struct MarkGroup
    {
        public MarkGroup(IReadOnlyList<IOperation> marks, IReadOnlyList<IOperation> confirmations)
        {
            Marks = marks;
            Confirmations = confirmations;
        }

        public IReadOnlyList<IOperation> Marks { get; }

        public IReadOnlyList<IOperation> Confirmations { get; }
    }

    /// <summary>
    /// Where a flush counts on the graph: <c>producer?.Flush(..)</c> as a whole, so the path where the
    /// producer is null (nothing was ever queued) counts as flushed too.
    /// </summary>
    private static IOperation FlowPoint(IInvocationOperation flush)
        => flush.Instance is IConditionalAccessInstanceOperation && flush.Parent is IConditionalAccessOperation access ? access : flush;

    /// <summary>Where a disposal is reported: the <c>using</c> keyword's statement head or the <c>Dispose()</c> call.</summary>
    internal static Location DisposalLocation(IOperation disposal)
        => disposal switch
        {
            IUsingOperation @using => @using.Resources.Syntax.GetLocation(),
            IUsingDeclarationOperation declaration => declaration.DeclarationGroup.Declarations[0].Syntax.GetLocation(),
            IInvocationOperation call => call.WholeCallSyntax().GetLocation(),
            _ => disposal.Syntax.GetLocation(),
        };

    /// <summary>Methods of this type that flush the field (directly, or calling such a method; a few levels deep).</summary>
    private static HashSet<IMethodSymbol> FlushingMethods(KafkaTypeAnalysis analysis, ProducerInstance instance)
    {
        var result = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var flush in instance.Flushes)
        {
            if (flush.Accounts && analysis.Index.OwnerOf(flush.Invocation) is IMethodSymbol owner && flush.Invocation.EnclosingFunction() is null)
            {
                result.Add(owner);
            }
        }

        for (var depth = 0; depth < 3 && result.Count > 0; depth++)
        {
            var added = false;
            foreach (var invocation in analysis.Index.Invocations)
            {
                if (result.Contains(invocation.TargetMethod.OriginalDefinition)
                    && invocation.EnclosingFunction() is null
                    && analysis.Index.OwnerOf(invocation) is IMethodSymbol caller
                    && !ShutdownMethods.Contains(caller.Name)
                    && result.Add(caller))
                {
                    added = true;
                }
            }

            if (!added)
            {
                break;
            }
        }

        return result;
    }

    private static ImmutableArray<IInvocationOperation> CallsTo(HashSet<IMethodSymbol> methods, IOperation function)
    {
        if (methods.Count == 0)
        {
            return ImmutableArray<IInvocationOperation>.Empty;
        }

        return function.Descendants()
            .OfType<IInvocationOperation>()
            .Where(i => methods.Contains(i.TargetMethod.OriginalDefinition) && FlowGraphs.FunctionOf(i) == function)
            .ToImmutableArray();
    }

    private static bool InFunction(IOperation operation, IOperation function)
    {
        // Inside a lambda of the function counts (placed where the lambda is created); a local function does not.
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == function)
            {
                return true;
            }

            if (current is ILocalFunctionOperation)
            {
                return false;
            }
        }

        return OperationIndex.Root(operation) == function;
    }

    // ---- KAFKA008 -------------------------------------------------------------------------------

    private static void ReportPerMessage(KafkaTypeAnalysis analysis, ProducerBuild build, DeduplicatingReporter reporter)
    {
        if (build.IsDependent || build.ReturnedFrom is not null)
        {
            return;
        }

        var instance = build.Instance;
        var loop = Loops.Innermost(build.Invocation);
        if (loop is not null)
        {
            if (LivesOneIteration(instance, build, loop) && !SendsBatches(instance, loop))
            {
                reporter.Report(Descriptors.KAFKA008_ProducerPerMessage, build.Invocation.Syntax.GetLocation(), messageArgs: "ProducerBuilder.Build() runs in every iteration of this loop");
            }

            return;
        }

        if (instance.Kind != HolderKind.Local || !instance.IsOwned || instance.Escapes || instance.Disposals.IsEmpty || instance.Builds.Length != 1)
        {
            return;
        }

        var produces = instance.Produces.Where(p => p.IsDelivering).ToList();
        if (produces.Count != 1 || Loops.Innermost(produces[0].Invocation) is not null || produces[0].Invocation.EnclosingFunction() is not null)
        {
            // A method that sends a batch through its own producer is a job, not a per-message producer.
            return;
        }

        if (analysis.Index.OwnerOf(build.Invocation) is not IMethodSymbol method || !IsPerCallMethod(method) || build.Invocation.EnclosingFunction() is not null
            || CalledOnlyOnceFromTheEntryPoint(analysis, method))
        {
            return;
        }

        reporter.Report(
            Descriptors.KAFKA008_ProducerPerMessage,
            build.Invocation.Syntax.GetLocation(),
            messageArgs: $"'{method.Name}' builds a producer, produces one message and disposes the producer on every call");
    }

    /// <summary>
    /// Every message the producer built in <paramref name="loop"/> sends is sent from a loop nested in it: one
    /// producer per batch or per configuration (confluent's partitioner tests), not per message.
    /// </summary>
    private static bool SendsBatches(ProducerInstance instance, ILoopOperation loop)
    {
        var produces = instance.Produces.Where(p => p.IsDelivering).ToList();
        return produces.Count > 0 && produces.All(p => Loops.Innermost(p.Invocation) is { } inner && inner != loop && Loops.Contains(loop, inner));
    }

    /// <summary>The producer built in the loop is held by a local of the loop body, used there and not kept.</summary>
    private static bool LivesOneIteration(ProducerInstance instance, ProducerBuild build, ILoopOperation loop)
    {
        if (instance.Kind == HolderKind.None)
        {
            // new ProducerBuilder<K, V>(config).Build().Produce(...): used once, never kept.
            return build.Invocation.ParentIgnoringConversions(out var child) is IInvocationOperation call && call.Instance == child;
        }

        if (instance.Kind != HolderKind.Local || instance.Escapes || !instance.IsOwned)
        {
            return false;
        }

        return instance.Disposals.Any(d => Loops.Contains(loop, d)) || instance.Produces.Any(p => Loops.Contains(loop, p.Invocation));
    }

    /// <summary>
    /// The method has callers in this type and each is the program's <c>Main</c> (or top-level code) or
    /// a test method, outside any loop: one producer per run of the program or test, not per message.
    /// </summary>
    private static bool CalledOnlyOnceFromTheEntryPoint(KafkaTypeAnalysis analysis, IMethodSymbol method)
    {
        var callers = 0;
        foreach (var invocation in analysis.Index.Invocations)
        {
            if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition))
            {
                continue;
            }

            callers++;
            if (analysis.Index.OwnerOf(invocation) is not IMethodSymbol caller
                || !((caller.IsStatic && caller.Name is "Main" or "<Main>$") || IsTestMethod(caller))
                || invocation.EnclosingFunction() is not null
                || Loops.Innermost(invocation) is not null)
            {
                return false;
            }
        }

        return callers > 0;
    }

    private static bool IsPerCallMethod(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.IsImplicitlyDeclared || method.Name is "Main" or "<Main>$" || ShutdownMethods.Contains(method.Name)
            || method.Name is "ExecuteAsync" or "StartAsync")
        {
            return false;
        }

        return !IsTestMethod(method);
    }

    /// <summary>
    /// A test (xUnit, NUnit, MSTest, or an attribute derived from theirs, e.g. SkippableTheory): one producer per
    /// test run. An attribute whose type does not resolve (the test framework's package missing from the
    /// references, as in a build that has not restored it) is matched by the name written, including
    /// Xunit.SkippableFact's <c>SkippableFact</c>/<c>SkippableTheory</c>, whose base types cannot be seen then.
    /// </summary>
    internal static bool IsTestMethod(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { TypeKind: TypeKind.Error } unresolved && UnresolvedTestAttributes.Contains(unresolved.Name))
            {
                return true;
            }

            for (var type = attribute.AttributeClass; type is not null; type = type.BaseType)
            {
                if (TestAttributes.Contains(type.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
