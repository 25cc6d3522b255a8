using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>Questions about the loop around an operation, within one function (lambdas and local functions are boundaries).</summary>
internal static class Loops
{
    /// <summary>The nearest loop whose body (or condition) contains <paramref name="operation"/> in the same function, or null.</summary>
    public static ILoopOperation? Innermost(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="operation"/> runs inside <paramref name="loop"/> in the same function.</summary>
    public static bool Contains(ILoopOperation loop, IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent == loop)
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The loop body can leave the loop other than by its condition: a <c>break</c> of this loop or a
    /// <c>return</c> (the shape of a retry loop that stops once the work succeeded).
    /// </summary>
    public static bool LeavesEarly(ILoopOperation loop)
    {
        foreach (var node in Descendants(loop.Body))
        {
            switch (node)
            {
                case IReturnOperation { Kind: OperationKind.Return }:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break } branch when branch.Target.Equals(loop.ExitLabel, SymbolEqualityComparer.Default):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The loop (in the same function) calls one of <paramref name="methods"/> (compared by original definition).</summary>
    public static bool Calls(ILoopOperation loop, ImmutableArray<IMethodSymbol> methods)
    {
        if (methods.IsEmpty)
        {
            return false;
        }

        foreach (var node in Descendants(loop))
        {
            if (node is IInvocationOperation invocation && System.Linq.Enumerable.Contains(methods, invocation.TargetMethod.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Descendants in the same function: does not enter lambdas or local functions.</summary>
    private static System.Collections.Generic.IEnumerable<IOperation> Descendants(IOperation root)
    {
        var stack = new System.Collections.Generic.Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }
}
