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

    /// <summary>Returned to the caller (a consume helper): processed elsewhere.</summary>
    Returned,

    /// <summary>Added to a collection of the loop (a batch): processed later, from the collection.</summary>
    Collected,
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

    /// <summary>
    /// The catch is inside a loop of the iteration that retries the failed work until it succeeds: the
    /// loop runs until stopped, or its condition reads only flags that the protected block sets (a
    /// success flag), never the catch or the loop's own increment; and the catch does not break out.
    /// </summary>
    private bool IsInUnboundedRetry(CatchClause catchClause)
    {
        for (var parent = catchClause.Try.Parent; parent is not null && parent != Loop; parent = parent.Parent)
        {
            if (parent is ILoopOperation retry && (ConsumeLoopModel.IsUnbounded(retry) || EndsOnlyOnSuccess(retry, catchClause)))
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

    /// <summary><c>while (!handled) { try { ...; handled = true; } catch { ... } }</c>: only the protected block changes what the condition reads.</summary>
    private static bool EndsOnlyOnSuccess(ILoopOperation retry, CatchClause catchClause)
    {
        if (retry is not IWhileLoopOperation { Condition: { } condition } whileLoop || whileLoop.ConditionIsUntil)
        {
            return false;
        }

        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var node in condition.DescendantsAndSelf())
        {
            if (node is IAssignmentOperation or IIncrementOrDecrementOperation or IInvocationOperation)
            {
                return false;
            }

            if (node is ILocalReferenceOperation local)
            {
                read.Add(local.Local);
            }
            else if (node is not (IUnaryOperation or IBinaryOperation or IConversionOperation or IParenthesizedOperation or ILiteralOperation or IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } or IParameterReferenceOperation or IFieldReferenceOperation))
            {
                return false;
            }
        }

        if (read.Count == 0)
        {
            return false;
        }

        foreach (var node in whileLoop.Body.DescendantsAndSelf())
        {
            if (node is IAssignmentOperation or IIncrementOrDecrementOperation
                && (node is IAssignmentOperation assignment ? assignment.Target : ((IIncrementOrDecrementOperation)node).Target) is ILocalReferenceOperation target
                && read.Contains(target.Local)
                && !IsInside(node, catchClause.Try.Body))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInside(IOperation operation, IOperation container)
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

    /// <summary>A consumed result (or a value computed from it) is processed or handed off inside <paramref name="region"/>.</summary>
    public bool ProcessesResultIn(IOperation region)
        => Results.Any(r => r.Uses.Any(u => u.Kind is ResultUseKind.Processed or ResultUseKind.HandedOff && IsInside(u.Reference, region)));

    /// <summary>
    /// The calls that mark <paramref name="result"/> done (KAFKA115's "commit of the input"): <c>Commit</c> or
    /// <c>StoreOffset</c> in the function that consumes it, inside this iteration, whose argument reads the
    /// result or a value computed from it (<c>Commit(result)</c>, <c>StoreOffset(new TopicPartitionOffset(result.TopicPartition, result.Offset + 1))</c>),
    /// and argument-less <c>Commit()</c> on the loop's consumer after the consume. Commits inside lambdas and
    /// local functions (a delivery handler storing the offset) are not included: they run elsewhere.
    /// </summary>
    public ImmutableArray<ConsumerCall> InputCommits(ConsumedResult result, ConsumerModel consumers)
    {
        var function = result.Consume.Invocation.EnclosingFunction();
        var commits = ImmutableArray.CreateBuilder<ConsumerCall>();
        foreach (var call in consumers.Calls)
        {
            if (!call.MarksDone || call.Invocation.EnclosingFunction() != function || !Contains(call.Invocation)
                || OperationIndex.Root(call.Invocation) != OperationIndex.Root(result.Consume.Invocation))
            {
                continue;
            }

            var marksResult = call.Invocation.Arguments.Length == 0
                ? call.Method == ConsumerMethod.Commit && Instance is not null && call.Instance == Instance
                  && result.Consume.Invocation.Syntax.SpanStart < call.Invocation.Syntax.SpanStart
                : call.Invocation.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(n => n is ILocalReferenceOperation local && result.IsResultOrDerived(local.Local)));
            if (marksResult)
            {
                commits.Add(call);
            }
        }

        return commits.ToImmutable();
    }

    /// <summary>The iteration root (the loop, or a poll method's body) containing <paramref name="operation"/>.</summary>
    public IOperation? IterationRootOf(IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (IterationRoots.Contains(current))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// When <paramref name="consume"/> returns no message, the iteration waits before consuming again (or
    /// leaves the loop): some wait (<c>await</c>, <c>Task.Delay</c>, <c>Thread.Sleep</c>, a blocking call)
    /// can run on the path where the result is null. With <paramref name="wait"/> = <see cref="BodyEffects.Awaits"/>
    /// only an <c>await</c> counts (the question of KAFKA114: does the empty path ever yield the thread?). Over-approximates waits, so a busy loop is only
    /// claimed when no wait can be on that path.
    /// </summary>
    public bool WaitsWhenEmpty(ConsumedResult consume, ProjectCalls calls, BodyEffects wait = BodyEffects.Waits)
    {
        var invocation = consume.Consume.Invocation;
        var variable = consume.Variable;
        if (!ContainsDirectly(invocation) || variable is null)
        {
            // A poll method or an unkept result: any wait anywhere in the iteration counts.
            return IterationRoots.Any(root => calls.Summarize(root).Has(wait));
        }

        if (ConditionSymbols.Contains(variable, SymbolEqualityComparer.Default)
            || (ConditionOf(Loop) is { } condition && calls.Summarize(condition).Has(wait)))
        {
            return true;
        }

        // The chain of statements from the consume up to the loop body.
        var chain = new List<(IBlockOperation Block, IOperation Statement)>();
        IOperation child = invocation;
        for (var parent = invocation.Parent; parent is not null && child != Loop; child = parent, parent = parent.Parent)
        {
            if (parent is IBlockOperation block)
            {
                chain.Add((block, child));
            }

            if (parent is ITryOperation { Finally: { } @finally } && child != @finally && calls.Summarize(@finally).Has(wait))
            {
                return true;
            }
        }

        // Forward: what follows the consume until the end of the body, unless a null check jumps.
        var jumpsToNextIteration = false;
        foreach (var (block, statement) in chain)
        {
            var after = false;
            foreach (var next in block.Operations)
            {
                if (!after)
                {
                    after = next == statement;
                    continue;
                }

                switch (OnEmpty(next, variable))
                {
                    case EmptyPath.Leaves:
                        return true;
                    case EmptyPath.Continues:
                        jumpsToNextIteration = true;
                        break;
                    case EmptyPath.Skips:
                        continue;
                    case EmptyPath.ElseOnly when next is IConditionalOperation { WhenFalse: { } whenFalse }:
                        if (calls.Summarize(whenFalse).Has(wait))
                        {
                            return true;
                        }

                        continue;
                }

                if (jumpsToNextIteration)
                {
                    break;
                }

                if (calls.Summarize(next).Has(wait))
                {
                    return true;
                }
            }

            if (jumpsToNextIteration)
            {
                break;
            }
        }

        // Next iteration: the statements before the consume in each enclosing block run again first.
        foreach (var (block, statement) in chain)
        {
            foreach (var previous in block.Operations)
            {
                if (previous == statement)
                {
                    break;
                }

                if (calls.Summarize(previous).Has(wait))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private enum EmptyPath
    {
        /// <summary>Not a null check of the result: runs on the empty path.</summary>
        Runs,

        /// <summary><c>if (result == null) break;</c> / <c>return</c>: the empty path leaves the loop.</summary>
        Leaves,

        /// <summary><c>if (result == null) continue;</c>: the empty path goes to the next iteration.</summary>
        Continues,

        /// <summary><c>if (result != null) { ... }</c> without else: skipped on the empty path.</summary>
        Skips,

        /// <summary><c>if (result != null) { ... } else { ... }</c>: only the else runs.</summary>
        ElseOnly,
    }

    private EmptyPath OnEmpty(IOperation statement, ILocalSymbol variable)
    {
        if (statement is not IConditionalOperation { Condition: { } condition } conditional)
        {
            return EmptyPath.Runs;
        }

        switch (NullTest(condition, variable))
        {
            case true:
                var jump = conditional.WhenTrue is IBlockOperation { Operations.Length: > 0 } block ? block.Operations[block.Operations.Length - 1] : conditional.WhenTrue;
                if (jump is IBranchOperation { BranchKind: BranchKind.Continue } && !(conditional.WhenTrue is IBlockOperation b && b.Operations.Length > 1))
                {
                    return EmptyPath.Continues;
                }

                if (jump is IReturnOperation || (jump is IBranchOperation { BranchKind: BranchKind.Break } brk && SymbolEqualityComparer.Default.Equals(brk.Target, Loop.ExitLabel)))
                {
                    return EmptyPath.Leaves;
                }

                return EmptyPath.Runs;
            case false:
                return conditional.WhenFalse is null ? EmptyPath.Skips : EmptyPath.ElseOnly;
            default:
                return EmptyPath.Runs;
        }
    }

    /// <summary>True for "the result is null" (<c>r == null</c>, <c>r is null</c>, <c>r?.Message == null</c>), false for "not null", null otherwise.</summary>
    private static bool? NullTest(IOperation condition, ILocalSymbol variable)
    {
        condition = condition.WalkDownConversions();
        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            return !NullTest(not.Operand, variable);
        }

        if (condition is IIsPatternOperation pattern && ReadsVariable(pattern.Value, variable))
        {
            return pattern.Pattern switch
            {
                IConstantPatternOperation { Value: var constant } when IsNull(constant) => true,
                INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } when IsNull(constant) => false,
                IRecursivePatternOperation or IDeclarationPatternOperation or ITypePatternOperation => false,
                _ => null,
            };
        }

        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary)
        {
            var equals = binary.OperatorKind == BinaryOperatorKind.Equals;
            if ((ReadsVariable(binary.LeftOperand, variable) && IsNull(binary.RightOperand)) || (ReadsVariable(binary.RightOperand, variable) && IsNull(binary.LeftOperand)))
            {
                return equals;
            }
        }

        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or && NullTest(or.LeftOperand, variable) == true)
        {
            return true;
        }

        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and && NullTest(and.LeftOperand, variable) == false)
        {
            return false;
        }

        return null;
    }

    private static bool ReadsVariable(IOperation operation, ILocalSymbol variable)
    {
        operation = operation.WalkDownConversions();
        while (true)
        {
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return SymbolEqualityComparer.Default.Equals(local.Local, variable);
                case IConditionalAccessOperation access:
                    operation = access.Operation.WalkDownConversions();
                    continue;
                case IPropertyReferenceOperation { Instance: { } instance }:
                    operation = instance.WalkDownConversions();
                    continue;
                default:
                    return false;
            }
        }
    }

    private static bool IsNull(IOperation operation) => operation.WalkDownConversions().ConstantValue is { HasValue: true, Value: null };

    private static IOperation? ConditionOf(ILoopOperation loop)
        => loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };

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

    /// <summary>
    /// <c>Commit</c>/<c>StoreOffset</c> calls in the handler's own body (not in lambdas or local functions
    /// declared in it) whose argument reads the <c>ConsumeResult</c> parameter: the handler marks its input done.
    /// Empty for a <c>Message&lt;K,V&gt;</c> handler.
    /// </summary>
    public ImmutableArray<ConsumerCall> InputCommits(ConsumerModel consumers)
    {
        if (Parameter.Type is INamedTypeSymbol { Name: "Message" })
        {
            return ImmutableArray<ConsumerCall>.Empty;
        }

        var own = Body is IAnonymousFunctionOperation or ILocalFunctionOperation ? Body : null;
        var commits = ImmutableArray.CreateBuilder<ConsumerCall>();
        foreach (var call in consumers.Calls)
        {
            if (call.MarksDone
                && call.Invocation.EnclosingFunction() == own
                && (own is not null || OperationIndex.Root(call.Invocation) == Body)
                && IsInside(call.Invocation, Body)
                && call.Invocation.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(n => n is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, Parameter))))
            {
                commits.Add(call);
            }
        }

        return commits.ToImmutable();
    }

    private static bool IsInside(IOperation operation, IOperation container)
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

    /// <summary>The message parameter reaches a call other than logging inside <paramref name="region"/>.</summary>
    public bool ProcessesMessageIn(IOperation region)
    {
        foreach (var node in region.DescendantsAndSelf())
        {
            if (node is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, Parameter))
            {
                continue;
            }

            for (var parent = node.Parent; parent is not null && parent != region; parent = parent.Parent)
            {
                if (parent is IInvocationOperation invocation)
                {
                    if (!ConsumeLoopModel.IsLogging(invocation.TargetMethod))
                    {
                        return true;
                    }

                    break;
                }

                if (parent is IObjectCreationOperation or IAwaitOperation or IVariableDeclaratorOperation or ISimpleAssignmentOperation)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
