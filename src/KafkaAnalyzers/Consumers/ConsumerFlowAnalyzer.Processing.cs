using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA102, KAFKA103, KAFKA107, KAFKA112: how consumed messages are processed and how failures end.
internal sealed partial class ConsumerFlowAnalyzer
{
    /// <summary>Diagnostic properties of the KAFKA103 fixes (read by the consumer code fix).</summary>
    internal static class DeadLetterFix
    {
        /// <summary>The expression of an <c>IDeadLetterSink</c> in scope at the catch; absent when none is.</summary>
        public const string Sink = "KafkaDeadLetterSink";

        /// <summary>The consumed result to publish.</summary>
        public const string Result = "KafkaDeadLetterResult";

        /// <summary>"true" when the catch is in an async function (the publish is awaited, otherwise waited on).</summary>
        public const string Async = "KafkaDeadLetterAsync";
    }

    // ---- KAFKA102 -------------------------------------------------------------------------------

    private static void ReportWorkerThreads(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var rule = Descriptors.KAFKA102_OffsetsFromWorkerThreads;
        var loops = analysis.ConsumeLoops.Loops;
        foreach (var loop in loops)
        {
            if (loop.Instance is not { Holder: not null } instance)
            {
                continue;
            }

            foreach (var handOff in loop.HandOffs)
            {
                // Parallel.* waits for its workers, but they run side by side and store in any order.
                if ((!handOff.RunsConcurrently && handOff.Kind != HandOffKind.Parallel) || handOff.Work is null || IsWithin(loop.Loop, handOff.Work))
                {
                    continue;
                }

                foreach (var (site, method) in ConsumerUsesIn(analysis, handOff.Work, instance))
                {
                    reporter.Report(rule, site.Syntax.GetLocation(), messageArgs: WorkerMessage(method, handOff));
                }
            }
        }

        // Timer callbacks run on the thread pool whenever they fire, whatever the loop is doing.
        foreach (var creation in analysis.Index.ObjectCreations)
        {
            if (HandOff.Recognize(creation, analysis.Symbols.Flow, analysis.Index) is not { Kind: HandOffKind.Timer, Work: { } work } timer)
            {
                continue;
            }

            foreach (var loop in loops)
            {
                if (loop.Instance is { Holder: not null } instance && !IsWithin(loop.Loop, work))
                {
                    foreach (var (site, method) in ConsumerUsesIn(analysis, work, instance))
                    {
                        reporter.Report(rule, site.Syntax.GetLocation(), messageArgs: WorkerMessage(method, timer));
                    }
                }
            }
        }

        ReportCloseFromStopMethods(analysis, reporter);
    }

    private static string WorkerMessage(string method, HandOff handOff)
        => $"'{method}' on the consumer runs on a worker thread ({HandOffName(handOff)}) while the consume loop goes on: offsets stored or committed by workers land in whatever order they finish, so a later offset marks earlier, unfinished messages as done";

    /// <summary>
    /// Calls on <paramref name="instance"/> inside <paramref name="work"/>, and calls in the work to methods
    /// of the type that use it (reported at the call in the work, named after the consumer method).
    /// </summary>
    private static IEnumerable<(IOperation Site, string Method)> ConsumerUsesIn(KafkaTypeAnalysis analysis, IOperation work, ConsumerInstance instance)
    {
        if (work is IMethodReferenceOperation reference)
        {
            if (UseInMethod(analysis, reference.Method, instance, depth: 0) is { } used)
            {
                yield return (reference.Parent is IDelegateCreationOperation creation ? creation : reference, used);
            }

            yield break;
        }

        foreach (var call in instance.Calls)
        {
            if (IsWithin(call.Invocation, work))
            {
                yield return (call.Invocation, call.Invocation.TargetMethod.Name);
            }
        }

        foreach (var node in work.Descendants())
        {
            if (node is IInvocationOperation invocation && analysis.Consumers.CallAt(invocation) is null
                && UseInMethod(analysis, invocation.TargetMethod, instance, depth: 0) is { } used)
            {
                yield return (invocation, used);
            }
        }
    }

    /// <summary>The consumer method a same-type method (or one it calls, two levels) calls on the instance, outside loops.</summary>
    private static string? UseInMethod(KafkaTypeAnalysis analysis, IMethodSymbol method, ConsumerInstance instance, int depth)
    {
        if (depth > 1 || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, analysis.Type.OriginalDefinition))
        {
            return null;
        }

        foreach (var call in instance.Calls)
        {
            if (analysis.Index.OwnerOf(call.Invocation) is IMethodSymbol owner
                && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, method.OriginalDefinition)
                && call.Invocation.EnclosingFunction() is null
                && analysis.ConsumeLoops.LoopContaining(call.Invocation) is null)
            {
                return call.Invocation.TargetMethod.Name;
            }
        }

        foreach (var invocation in analysis.Index.Invocations)
        {
            if (analysis.Index.OwnerOf(invocation) is IMethodSymbol owner
                && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, method.OriginalDefinition)
                && !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition)
                && UseInMethod(analysis, invocation.TargetMethod, instance, depth + 1) is { } used)
            {
                return used;
            }
        }

        return null;
    }

    /// <summary>Close/Dispose of a looping consumer in StopAsync/Dispose before anything waits for the loop to end.</summary>
    private static void ReportCloseFromStopMethods(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var flow = analysis.Symbols.Flow;
        var isBackgroundService = FlowSymbols.InheritsFrom(analysis.Type, flow.BackgroundService);
        var isHostedService = isBackgroundService || FlowSymbols.IsOrImplements(analysis.Type, flow.HostedService);
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            if (loop.Instance is not { IsMember: true } instance || !RunsOnItsOwnThread(analysis, loop))
            {
                continue;
            }

            bool? fallbacks = null;
            foreach (var call in instance.Calls)
            {
                if (call.Method is not (ConsumerMethod.Close or ConsumerMethod.Dispose)
                    || call.Invocation.EnclosingFunction() is not null
                    || analysis.Index.OwnerOf(call.Invocation) is not IMethodSymbol stop)
                {
                    continue;
                }

                var isStop = stop.Name == "StopAsync" && isHostedService;

                // The host calls StopAsync before it disposes a hosted service: StopAsync is where the loop must end.
                var isDispose = stop.Name is "Dispose" or "DisposeAsync" && !isHostedService;
                if ((!isStop && !isDispose) || WaitsBefore(analysis, call.Invocation))
                {
                    continue;
                }

                // Another member waits for the loop and then closes or disposes the consumer (confluent-kafka-dotnet's
                // VerifiableClient: Run() cancels, waits for the consume task, closes, disposes and nulls the field):
                // this Close/Dispose is the fallback for when that shutdown did not run, not the shutdown itself.
                fallbacks ??= ProperShutdown.ElsewhereThanFallbacks(
                    instance.Calls.Where(c => c.Method is ConsumerMethod.Close or ConsumerMethod.Dispose).Select(c => (IOperation)c.Invocation),
                    function => WaitsIn(function),
                    flow,
                    analysis.CancellationToken);
                if (fallbacks == true)
                {
                    continue;
                }

                reporter.Report(
                    Descriptors.KAFKA102_OffsetsFromWorkerThreads,
                    call.Invocation.Syntax.GetLocation(),
                    messageArgs: $"'{call.Invocation.TargetMethod.Name}' in '{stop.Name}' runs while the consume loop may still be inside a call on the consumer on another thread: wait for the loop to end (await its task) before closing or disposing the consumer");
            }
        }
    }

    /// <summary>Something before <paramref name="call"/> in its method waits (await, Wait, Join...).</summary>
    private static bool WaitsBefore(KafkaTypeAnalysis analysis, IOperation call)
    {
        var root = OperationIndex.Root(call);
        foreach (var node in root.Descendants())
        {
            if (node.IsBefore(call) && node.EnclosingFunction() is null && IsWait(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The waits (await, Wait, Join...) of <paramref name="function"/> itself, not of the lambdas in it.</summary>
    private static IReadOnlyList<IOperation> WaitsIn(IOperation function)
        => function.Descendants().Where(node => IsWait(node) && FlowGraphs.FunctionOf(node) == function).ToList();

    private static bool IsWait(IOperation node)
        => node is IAwaitOperation
           || (node is IInvocationOperation invocation && invocation.TargetMethod.Name is "Wait" or "Join" or "WaitAll" or "GetResult" or "WaitOne");

    /// <summary>
    /// The loop runs on a thread of its own: in a lambda handed to Task.Run/StartNew/a thread, in a method
    /// handed off or called from such a lambda, or in (or called from) a BackgroundService's ExecuteAsync.
    /// </summary>
    private static bool RunsOnItsOwnThread(KafkaTypeAnalysis analysis, ConsumeLoop loop)
    {
        var flow = analysis.Symbols.Flow;
        if (loop.EnclosingFunction is { } function)
        {
            return IsHandedOff(analysis, function);
        }

        if (loop.EntryMethod is not IMethodSymbol entry)
        {
            return false;
        }

        if (entry.Name == "ExecuteAsync" && FlowSymbols.InheritsFrom(analysis.Type, flow.BackgroundService))
        {
            return true;
        }

        foreach (var invocation in analysis.Index.Invocations)
        {
            if (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, entry.OriginalDefinition))
            {
                if (invocation.EnclosingFunction() is { } caller && IsHandedOff(analysis, caller))
                {
                    return true;
                }

                if (analysis.Index.OwnerOf(invocation) is IMethodSymbol { Name: "ExecuteAsync" } && FlowSymbols.InheritsFrom(analysis.Type, flow.BackgroundService))
                {
                    return true;
                }
            }
        }

        foreach (var node in analysis.Index.Invocations.Cast<IOperation>().Concat(analysis.Index.ObjectCreations))
        {
            if (HandOff.Recognize(node, flow, analysis.Index) is { Work: IMethodReferenceOperation reference }
                && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, entry.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHandedOff(KafkaTypeAnalysis analysis, IOperation function)
    {
        var parent = function.ParentIgnoringConversions(out _);
        if (parent is IDelegateCreationOperation creation)
        {
            parent = creation.ParentIgnoringConversions(out _);
        }

        return parent is IArgumentOperation { Parent: { } call } && HandOff.Recognize(call, analysis.Symbols.Flow, analysis.Index) is { RunsConcurrently: true } or { Kind: HandOffKind.Task or HandOffKind.Thread };
    }

    // ---- KAFKA103 -------------------------------------------------------------------------------

    private static void ReportCatchAndLog(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var calls = analysis.ProjectCalls;
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            foreach (var catchClause in loop.Catches)
            {
                // The protected block must process a consumed message: a catch around Consume alone (a retrying
                // consume helper) loses nothing.
                if (catchClause.CatchesProcessingFailures && catchClause.ProtectsProcessing && loop.ProcessesResultIn(catchClause.Try.Body) && loop.ContinuesAfter(catchClause)
                    && catchClause.SkipsFailedMessage(BoundaryOf(loop, catchClause), calls))
                {
                    var result = loop.Results.Select(r => r.Variable).FirstOrDefault(v => v is not null && IsDeclaredOutside(v, catchClause.Try) && IsInScopeAt(v, catchClause.Clause.Handler));
                    ReportCatch(analysis, reporter, catchClause, result);
                }
            }
        }

        foreach (var handler in analysis.ConsumeLoops.Handlers)
        {
            foreach (var catchClause in handler.Catches)
            {
                if (catchClause.CatchesProcessingFailures && catchClause.ProtectsProcessing && handler.ProcessesMessageIn(catchClause.Try.Body)
                    && !catchClause.Body.Has(BodyEffects.Throws) && !catchClause.Body.Has(BodyEffects.Stops)
                    && catchClause.SkipsFailedMessage(handler.Body, calls))
                {
                    var result = analysis.Symbols.Flow.IsConsumeResult(handler.Parameter.Type) ? handler.Parameter : null;
                    ReportCatch(analysis, reporter, catchClause, result);
                }
            }
        }
    }

    private static IOperation BoundaryOf(ConsumeLoop loop, CatchClause catchClause)
        => catchClause.Clause.EnclosingFunction() is { } function && loop.Contains(function) ? function : loop.IterationRootOf(catchClause.Clause) ?? loop.Loop;

    private static void ReportCatch(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter, CatchClause catchClause, ISymbol? result)
    {
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (result is not null && DeadLetterSinkInScope(analysis, catchClause.Clause) is { } sink)
        {
            properties = properties
                .Add(DeadLetterFix.Sink, sink)
                .Add(DeadLetterFix.Result, result.Name)
                .Add(DeadLetterFix.Async, IsInAsyncFunction(catchClause.Clause.Handler) ? "true" : "false");
        }

        reporter.Report(Descriptors.KAFKA103_CatchAndLogWithoutDeadLetter, catchClause.Location, properties);
    }

    private static bool IsDeclaredOutside(ISymbol variable, ITryOperation @try)
        => variable.DeclaringSyntaxReferences.All(r => !@try.Syntax.Span.Contains(r.Span) || @try.Syntax.SyntaxTree != r.SyntaxTree)
           && variable.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: not null } or Microsoft.CodeAnalysis.CSharp.Syntax.SingleVariableDesignationSyntax);

    /// <summary>
    /// An <c>IDeadLetterSink</c> (KafkaAnalyzers.Reliability) the catch can reach: a parameter of the
    /// enclosing method or lambda, a local, or a field or property of the type (not from a static context).
    /// </summary>
    private static string? DeadLetterSinkInScope(KafkaTypeAnalysis analysis, ICatchClauseOperation clause)
    {
        var sinkType = analysis.Symbols.Flow.DeadLetterSink;
        var model = clause.SemanticModel;
        if (sinkType is null || model is null)
        {
            return null;
        }

        var position = clause.Handler.Syntax.SpanStart;
        var isStatic = model.GetEnclosingSymbol(position) is { IsStatic: true };
        string? member = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field when !isStatic || field.IsStatic => field.Type,
                IPropertySymbol property when !property.IsIndexer && (!isStatic || property.IsStatic) => property.Type,
                _ => null,
            };
            if (type is null || !FlowSymbols.IsOrImplements(type, sinkType))
            {
                continue;
            }

            if (symbol is ILocalSymbol or IParameterSymbol)
            {
                return symbol.Name;
            }

            member ??= symbol.Name;
        }

        return member;
    }

    // ---- KAFKA107 -------------------------------------------------------------------------------

    private static void ReportFatalErrorSwallowed(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            foreach (var catchClause in loop.Catches)
            {
                if (!catchClause.CatchesKafkaErrors || catchClause.ChecksFatal || catchClause.HasOpaqueFilter
                    || !catchClause.Protected.Has(BodyEffects.Consumes)
                    || catchClause.Body.Has(BodyEffects.Unknown)
                    || !loop.ContinuesAfter(catchClause))
                {
                    continue;
                }

                reporter.Report(Descriptors.KAFKA107_FatalConsumeErrorSwallowed, catchClause.Location, messageArgs: catchClause.Clause.ExceptionType.Name);
            }
        }
    }

    // ---- KAFKA112 -------------------------------------------------------------------------------

    private static void ReportBusyLoops(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        foreach (var loop in analysis.ConsumeLoops.Loops)
        {
            foreach (var result in loop.Results)
            {
                var consume = result.Consume.Invocation;
                if (!HasZeroTimeout(consume) || loop.WaitsWhenEmpty(result, analysis.ProjectCalls))
                {
                    continue;
                }

                reporter.Report(Descriptors.KAFKA112_BusyConsumeLoop, consume.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty.Add(FlowFix.Kind, "BlockingTimeout"));
            }
        }
    }

    /// <summary><c>Consume(0)</c>, <c>Consume(TimeSpan.Zero)</c>, <c>Consume(TimeSpan.FromMilliseconds(0))</c>.</summary>
    private static bool HasZeroTimeout(IInvocationOperation consume)
    {
        if (consume.Arguments.Length != 1 || consume.Arguments[0].IsImplicit)
        {
            return false;
        }

        var value = consume.Arguments[0].Value.WalkDownConversions();
        switch (value)
        {
            case { ConstantValue: { HasValue: true, Value: int zero } } when zero == 0:
                return true;
            case IFieldReferenceOperation { Field.Name: "Zero", Field.ContainingType.Name: "TimeSpan" }:
                return true;
            case IInvocationOperation { TargetMethod.ContainingType.Name: "TimeSpan", Arguments.Length: 1 } factory
                when factory.TargetMethod.Name.StartsWith("From", System.StringComparison.Ordinal)
                     && factory.Arguments[0].Value.WalkDownConversions().TryGetConstantNumber(out var number)
                     && number == 0:
                return true;
            case IObjectCreationOperation { Type.Name: "TimeSpan", Arguments.Length: 1 } creation
                when creation.Arguments[0].Value.WalkDownConversions().TryGetConstantNumber(out var ticks)
                     && ticks == 0:
                return true;
            default:
                return false;
        }
    }
}
