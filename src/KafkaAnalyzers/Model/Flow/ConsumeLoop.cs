using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>What happens to a consumed result (or a value computed from it) at one place in the iteration.</summary>
internal enum ResultUseKind
{
    /// <summary>Used by the loop's own code: passed to a method, its members read, awaited inline.</summary>
    Processed,

    /// <summary>Only looked at: null/EOF checks, logging.</summary>
    Inspected,

    /// <summary>Read by work handed to another thread, or queued for one (<see cref="ResultUse.HandOff"/>).</summary>
    HandedOff,

    /// <summary>Passed to <c>Commit</c> or <c>StoreOffset</c>.</summary>
    MarkedDone,

    /// <summary>Passed to <c>Seek</c>.</summary>
    Sought,
}

internal sealed class ResultUse
{
    public ResultUse(IOperation reference, ResultUseKind kind, IOperation site, HandOff? handOff = null, ConsumerCall? call = null)
    {
        Reference = reference;
        Kind = kind;
        Site = site;
        HandOff = handOff;
        Call = call;
    }

    /// <summary>The reference to the result (or a value computed from it).</summary>
    public IOperation Reference { get; }

    public ResultUseKind Kind { get; }

    /// <summary>The operation the use belongs to: the call it is an argument of, the hand-off, the commit.</summary>
    public IOperation Site { get; }

    public HandOff? HandOff { get; }

    public ConsumerCall? Call { get; }
}

/// <summary>A <c>Consume</c> call of a loop and the variable receiving its result.</summary>
internal sealed class ConsumedResult
{
    public ConsumedResult(ConsumerCall consume, ILocalSymbol? variable, ImmutableArray<ILocalSymbol> derived, ImmutableArray<ResultUse> uses)
    {
        Consume = consume;
        Variable = variable;
        Derived = derived;
        Uses = uses;
    }

    public ConsumerCall Consume { get; }

    /// <summary>The local holding the result (<c>var result = consumer.Consume(ct)</c>, a pattern variable); null when not kept.</summary>
    public ILocalSymbol? Variable { get; }

    /// <summary>Locals computed from the result (<c>var order = Deserialize(result.Message.Value)</c>).</summary>
    public ImmutableArray<ILocalSymbol> Derived { get; }

    public ImmutableArray<ResultUse> Uses { get; }

    public bool IsResultOrDerived(ISymbol? symbol)
        => symbol is ILocalSymbol local && (SymbolEqualityComparer.Default.Equals(local, Variable) || Derived.Contains(local, SymbolEqualityComparer.Default));
}

/// <summary>
/// A loop that calls <c>Consume</c> (in its body, or in a method of the same type it calls: a poll
/// method), with the results it consumes, where they go, and the catch clauses of its iteration.
/// </summary>
internal sealed class ConsumeLoop
{
    internal ConsumeLoop(ILoopOperation loop, ISymbol? entryMethod, IOperation? enclosingFunction)
    {
        Loop = loop;
        EntryMethod = entryMethod;
        EnclosingFunction = enclosingFunction;
    }

    public ILoopOperation Loop { get; }

    /// <summary>The member whose body contains the loop (the method a lambda or local function with the loop is declared in).</summary>
    public ISymbol? EntryMethod { get; }

    /// <summary>The lambda or local function directly containing the loop; null when the loop is in the member body.</summary>
    public IOperation? EnclosingFunction { get; }

    /// <summary>The loop around this one that consumes too (a restart loop), or null.</summary>
    public ConsumeLoop? Outer { get; internal set; }

    public ImmutableArray<ConsumerCall> ConsumeCalls { get; internal set; } = ImmutableArray<ConsumerCall>.Empty;

    /// <summary>Methods of the type the loop calls that consume (<c>while (...) PollOnce();</c>): their bodies are part of the iteration.</summary>
    public ImmutableArray<IMethodSymbol> PollMethods { get; internal set; } = ImmutableArray<IMethodSymbol>.Empty;

    /// <summary>The roots of the iteration: the loop itself and the bodies of its poll methods.</summary>
    public ImmutableArray<IOperation> IterationRoots { get; internal set; } = ImmutableArray<IOperation>.Empty;

    /// <summary>The consumer every <c>Consume</c> of the loop goes to; null when several or none can be followed.</summary>
    public ConsumerInstance? Instance { get; internal set; }

    public ImmutableArray<ConsumedResult> Results { get; internal set; } = ImmutableArray<ConsumedResult>.Empty;

    /// <summary>The catch clauses of the iteration (this loop's own, not those of a consume loop nested in it).</summary>
    public ImmutableArray<CatchClause> Catches { get; internal set; } = ImmutableArray<CatchClause>.Empty;

    /// <summary>Work of the iteration handed to other threads or queues (whether or not it reads a result).</summary>
    public ImmutableArray<HandOff> HandOffs { get; internal set; } = ImmutableArray<HandOff>.Empty;

    /// <summary>Locals, fields and properties the loop condition reads (a stop flag, a token).</summary>
    public ImmutableArray<ISymbol> ConditionSymbols { get; internal set; } = ImmutableArray<ISymbol>.Empty;

    /// <summary>The loop runs until an exception or a jump ends it: no condition, a constant true one, or only a cancellation check.</summary>
    public bool RunsUntilStopped { get; internal set; }

    public bool Contains(IOperation operation)
    {
        foreach (var root in IterationRoots)
        {
            for (var current = operation; current is not null; current = current.Parent)
            {
                if (current == root)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="operation"/> is in the loop's own body (not a poll method), outside lambdas and local functions declared in it.</summary>
    public bool ContainsDirectly(IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == Loop)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// After <paramref name="catchClause"/> runs, consumption goes on: the handler neither rethrows nor
    /// stops the process, does not <c>break</c> out of this loop (or a loop around it), does not
    /// <c>return</c> from the function running the loop, sets no flag the loop condition reads, and has no
    /// <c>goto</c>. A catch inside an unbounded retry loop of the iteration (<c>while (true)</c> around
    /// the try, left only from the try) keeps retrying the same message instead, and does not count.
    /// </summary>
    public bool ContinuesAfter(CatchClause catchClause)
    {
        if (catchClause.Body.Has(BodyEffects.Throws) || catchClause.Body.Has(BodyEffects.Stops))
        {
            return false;
        }

        var exits = new HashSet<ILabelSymbol>(SymbolEqualityComparer.Default);
        for (var loop = (IOperation?)Loop; loop is not null; loop = loop.Parent)
        {
            if (loop is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (loop is ILoopOperation outer)
            {
                exits.Add(outer.ExitLabel);
            }
        }

        var inLoopFunction = catchClause.Clause.EnclosingFunction() == EnclosingFunction && ContainsDirectly(catchClause.Clause);
        foreach (var jump in catchClause.Jumps)
        {
            switch (jump)
            {
                case IBranchOperation { BranchKind: BranchKind.Break } branch when exits.Contains(branch.Target):
                case IReturnOperation when inLoopFunction:
                case IBranchOperation { BranchKind: BranchKind.GoTo }:
                    return false;
            }
        }

        foreach (var symbol in catchClause.Assigned)
        {
            if (ConditionSymbols.Contains(symbol, SymbolEqualityComparer.Default))
            {
                return false;
            }
        }

        return !IsInUnboundedRetry(catchClause);
    }

    private bool IsInUnboundedRetry(CatchClause catchClause)
    {
        for (var parent = catchClause.Try.Parent; parent is not null && parent != Loop; parent = parent.Parent)
        {
            if (parent is ILoopOperation retry && ConsumeLoopModel.IsUnbounded(retry))
            {
                var leavesRetry = catchClause.Jumps.Any(j => j is IBranchOperation { BranchKind: BranchKind.Break } b
                                                            && SymbolEqualityComparer.Default.Equals(b.Target, retry.ExitLabel));
                return !leavesRetry;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    public Location Location => Loop.Syntax.GetLocation();
}

/// <summary>
/// A method, local function or lambda with a <c>ConsumeResult&lt;K,V&gt;</c> parameter (a message handler),
/// or with a <c>Message&lt;K,V&gt;</c> parameter that a consume loop of the type calls.
/// </summary>
internal sealed class MessageHandler
{
    public MessageHandler(IOperation body, ISymbol function, IParameterSymbol parameter, bool calledFromLoop, ImmutableArray<CatchClause> catches)
    {
        Body = body;
        Function = function;
        Parameter = parameter;
        CalledFromLoop = calledFromLoop;
        Catches = catches;
    }

    /// <summary>The body operation (a member's root, a lambda or local function operation).</summary>
    public IOperation Body { get; }

    public ISymbol Function { get; }

    public IParameterSymbol Parameter { get; }

    public bool CalledFromLoop { get; }

    public ImmutableArray<CatchClause> Catches { get; }
}
