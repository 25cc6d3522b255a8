using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The <see cref="ControlFlowGraph"/> of the function (member body, lambda or local function) that
/// contains an operation; member graphs are built once per operation tree and shared by every rule.
/// </summary>
internal static class FlowGraphs
{
    private static readonly ConditionalWeakTable<IOperation, Box> Roots = new();

    /// <summary>The graph of the innermost function around <paramref name="operation"/>, or null when none can be built.</summary>
    public static ControlFlowGraph? Of(IOperation operation)
    {
        var root = OperationIndex.Root(operation);
        var graph = Roots.GetValue(root, r => new Box(Create(r))).Graph;
        if (graph is null)
        {
            return null;
        }

        // Descend from the member's graph through each enclosing lambda / local function, outermost first.
        var functions = new Stack<IOperation>();
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                functions.Push(parent);
            }
        }

        while (graph is not null && functions.Count > 0)
        {
            graph = functions.Pop() switch
            {
                ILocalFunctionOperation local => LocalFunction(graph, local.Symbol),
                IAnonymousFunctionOperation lambda => AnonymousFunction(graph, lambda.Symbol),
                _ => null,
            };
        }

        return graph;
    }

    /// <summary>The operation whose graph <see cref="Of"/> returns: the innermost lambda or local function, or the member's root.</summary>
    public static IOperation FunctionOf(IOperation operation)
        => operation.EnclosingFunction() ?? OperationIndex.Root(operation);

    private static ControlFlowGraph? Create(IOperation root)
    {
        try
        {
            return root switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body),
                IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                IBlockOperation block => ControlFlowGraph.Create(block),
                IFieldInitializerOperation field => ControlFlowGraph.Create(field),
                IPropertyInitializerOperation property => ControlFlowGraph.Create(property),
                IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            // Roslyn refuses operation trees it cannot lower (e.g. some erroneous code): no graph, no answer.
            return null;
        }
    }

    private static ControlFlowGraph? LocalFunction(ControlFlowGraph graph, IMethodSymbol symbol)
    {
        foreach (var local in graph.LocalFunctions)
        {
            if (SymbolEqualityComparer.Default.Equals(local, symbol))
            {
                return graph.GetLocalFunctionControlFlowGraph(local);
            }
        }

        return null;
    }

    private static ControlFlowGraph? AnonymousFunction(ControlFlowGraph graph, IMethodSymbol symbol)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in Operations(block))
            {
                foreach (var node in operation.DescendantsAndSelf())
                {
                    if (node is IFlowAnonymousFunctionOperation flow && SymbolEqualityComparer.Default.Equals(flow.Symbol, symbol))
                    {
                        return graph.GetAnonymousFunctionControlFlowGraph(flow);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The operations of a block in execution order, the branch value last.</summary>
    public static IEnumerable<IOperation> Operations(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is not null)
        {
            yield return block.BranchValue;
        }
    }

    private sealed class Box
    {
        public Box(ControlFlowGraph? graph) => Graph = graph;

        public ControlFlowGraph? Graph { get; }
    }
}
