using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA111: how long a consumer lives.
internal sealed partial class ConsumerFlowAnalyzer
{
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
