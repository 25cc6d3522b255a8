using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

/// <summary>
/// The hosting rules: where a consume loop runs and who notices when it stops. KAFKA114 (a consume loop
/// that blocks the host's start-up) and KAFKA117 (a consume loop task nobody observes). Both ask
/// <see cref="ConsumeReach"/> which consume calls a method or a started task runs on its own thread, and the
/// consume-loop model what the path taken on an empty poll does.
/// </summary>
internal sealed class ConsumerHostingAnalyzer : KafkaTypeAnalyzer
{
    internal static class HostingFix
    {
        /// <summary>Present (value "Yield") on a KAFKA114 diagnostic for ExecuteAsync: the fix inserts <c>await Task.Yield();</c>.</summary>
        public const string Kind = "KafkaHostingFix";
        public const string Yield = "Yield";
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA114_ConsumeLoopBlocksHostStart,
        Descriptors.KAFKA117_ConsumeLoopTaskNeverObserved);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var reporter = new DeduplicatingReporter(context);
        ReportBlockedStart(analysis, reporter, context.CancellationToken);
        ReportUnobservedLoopTasks(analysis, reporter, context.CancellationToken);
    }

    // ---- KAFKA114 -------------------------------------------------------------------------------

    private static void ReportBlockedStart(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter, CancellationToken cancellationToken)
    {
        var flow = analysis.Symbols.Flow;
        var type = analysis.Type;
        var hostedStart = flow.HostedService?.GetMembers("StartAsync").OfType<IMethodSymbol>().FirstOrDefault();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract)
            {
                continue;
            }

            var isExecute = method.Name == "ExecuteAsync" && method.IsOverride && FlowSymbols.InheritsFrom(type, flow.BackgroundService);
            var isStart = method.Name == "StartAsync" && hostedStart is not null
                          && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(hostedStart), method);
            if (!isExecute && !isStart)
            {
                continue;
            }

            if (isExecute && (HostingVersion(flow.BackgroundService!) is not { } version || version >= 10 || StartIsReplaced(type, flow.BackgroundService!)))
            {
                continue;
            }

            if (ConsumeReach.BodyOf(method, analysis.Index, analysis.ProjectCalls) is not { } body)
            {
                continue;
            }

            foreach (var reached in ConsumeReach.From(body, analysis.Symbols, analysis.Index, analysis.ProjectCalls, cancellationToken))
            {
                var blocks = isExecute ? BlocksBeforeFirstYield(analysis, reached) : BlocksBeforeReturn(reached);
                if (!blocks)
                {
                    continue;
                }

                var location = method.Locations.FirstOrDefault() ?? Location.None;
                var where = reached.Via is { } via ? $" (through '{via.TargetMethod.Name}')" : string.Empty;
                var reason = isExecute
                    ? $"up to Microsoft.Extensions.Hosting 9.x the host runs ExecuteAsync synchronously until its first await{where}, so no later hosted service and not the web server starts until a message arrives"
                    : $"the host awaits StartAsync before starting the next hosted service and the web server, and this consume loop{where} does not return until the service stops";
                var properties = isExecute && IsFixable(method)
                    ? ImmutableDictionary<string, string?>.Empty.Add(HostingFix.Kind, HostingFix.Yield)
                    : null;
                reporter.Report(Descriptors.KAFKA114_ConsumeLoopBlocksHostStart, location, properties, additionalLocations: null, $"{type.Name}.{method.Name}", reason);
                break;
            }
        }
    }

    /// <summary>
    /// The major version of the Microsoft.Extensions.Hosting.Abstractions assembly BackgroundService comes
    /// from; null when it comes from anywhere else or carries no version (then the rule cannot know what the
    /// host does and stays silent).
    /// </summary>
    internal static int? HostingVersion(INamedTypeSymbol backgroundService)
    {
        var identity = backgroundService.ContainingAssembly?.Identity;
        return identity is { Name: "Microsoft.Extensions.Hosting.Abstractions" } && identity.Version.Major > 0 ? identity.Version.Major : null;
    }

    /// <summary>The type (or a base between it and BackgroundService) overrides StartAsync: what runs on start-up is its code, not BackgroundService's.</summary>
    private static bool StartIsReplaced(INamedTypeSymbol type, INamedTypeSymbol backgroundService)
    {
        for (var current = type; current is not null && !SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, backgroundService); current = current.BaseType)
        {
            if (current.GetMembers("StartAsync").OfType<IMethodSymbol>().Any(m => m.IsOverride))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// ExecuteAsync before its first await: the consume waits until a message arrives (cancellation-token or
    /// infinite overload), or sits in a loop whose empty-poll path never awaits (finite or unknown timeout).
    /// </summary>
    private static bool BlocksBeforeFirstYield(KafkaTypeAnalysis analysis, ReachedConsume reached)
    {
        if (!reached.BeforeFirstAwait)
        {
            return false;
        }

        if (reached.Wait == ConsumeWait.UntilMessage)
        {
            return true;
        }

        return reached.Loop is { } loop && EmptyPathNeverAwaits(analysis, loop, reached.Consume);
    }

    /// <summary>StartAsync: an endless consume loop on its own path (not in a task it starts) keeps the host waiting.</summary>
    private static bool BlocksBeforeReturn(ReachedConsume reached)
        => reached.OnCallerPath && reached.Loop is { } loop && ConsumeLoopModel.IsUnbounded(loop);

    /// <summary>Asks the consume-loop model of this type; a loop in another type is not known here, and counts as yielding.</summary>
    private static bool EmptyPathNeverAwaits(KafkaTypeAnalysis analysis, ILoopOperation loop, IInvocationOperation consume)
    {
        foreach (var model in analysis.ConsumeLoops.Loops)
        {
            if (model.Loop != loop)
            {
                continue;
            }

            foreach (var result in model.Results)
            {
                if (result.Consume.Invocation == consume)
                {
                    return !model.WaitsWhenEmpty(result, analysis.ProjectCalls, BodyEffects.Awaits);
                }
            }
        }

        return false;
    }

    /// <summary>The fix inserts a statement: the method needs a block body and the async modifier.</summary>
    private static bool IsFixable(IMethodSymbol method)
        => method.IsAsync
           && method.DeclaringSyntaxReferences.Length == 1
           && method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Body: not null };

    // ---- KAFKA117 -------------------------------------------------------------------------------

    private static void ReportUnobservedLoopTasks(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter, CancellationToken cancellationToken)
    {
        var flow = analysis.Symbols.Flow;
        foreach (var invocation in analysis.Index.Invocations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HandOff.Recognize(invocation, flow, analysis.Index) is not { Kind: HandOffKind.Task, Work: { } work } handOff
                || handOff.Operation != invocation
                || !IsDiscarded(invocation))
            {
                continue;
            }

            var body = work switch
            {
                IAnonymousFunctionOperation lambda => lambda.Body,
                ILocalFunctionOperation local => (IOperation?)local.Body,
                IMethodReferenceOperation reference => ConsumeReach.BodyOf(reference.Method, analysis.Index, analysis.ProjectCalls),
                IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => ConsumeReach.BodyOf(reference.Method, analysis.Index, analysis.ProjectCalls),
                _ => null,
            };
            if (body is null)
            {
                continue;
            }

            foreach (var reached in ConsumeReach.From(body, analysis.Symbols, analysis.Index, analysis.ProjectCalls, cancellationToken))
            {
                if (reached.Loop is not { } loop || reached.CaughtAroundLoop || ConsumeReach.BodyCatchesEverything(loop))
                {
                    continue;
                }

                var name = reached.Function switch
                {
                    IAnonymousFunctionOperation => work is IAnonymousFunctionOperation ? "lambda" : NameOf(reached),
                    _ => NameOf(reached),
                };
                reporter.Report(Descriptors.KAFKA117_ConsumeLoopTaskNeverObserved, invocation.Syntax.GetLocation(), properties: null, additionalLocations: null, name);
                break;
            }
        }
    }

    private static string NameOf(ReachedConsume reached)
        => reached.Function switch
        {
            ILocalFunctionOperation local => local.Symbol.Name,
            IAnonymousFunctionOperation => "lambda",
            _ => reached.Consume.SemanticModel?.GetEnclosingSymbol(reached.Consume.Syntax.SpanStart)?.Name ?? "lambda",
        };

    /// <summary>The task goes nowhere: an expression statement or <c>_ = ...</c>.</summary>
    private static bool IsDiscarded(IInvocationOperation invocation)
    {
        var parent = invocation.ParentIgnoringConversions(out var child);
        return parent is IExpressionStatementOperation
               || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment && assignment.Value == child);
    }
}
