using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>What happens to a task value, as far as the code in view shows.</summary>
internal enum TaskUseKind
{
    /// <summary>Nothing certain can be said (stored in a field, passed through a tuple, ...): treat as observed.</summary>
    Unknown,

    /// <summary><c>await t</c>, <c>await t.ConfigureAwait(..)</c>, <c>t.Wait()</c>, <c>t.GetAwaiter().GetResult()</c>.</summary>
    Awaited,

    /// <summary><c>t.Result</c>, <c>t.Exception</c>, <c>t.IsFaulted</c>, <c>t.Status</c> read.</summary>
    Inspected,

    /// <summary>Returned to the caller (also from a lambda whose caller receives it).</summary>
    Returned,

    /// <summary>Passed to a method or constructor (other than <c>Task.WhenAll/WhenAny</c>, which are followed).</summary>
    Passed,

    /// <summary>Written to a field, property, array element or out parameter: someone else holds it.</summary>
    Stored,

    /// <summary>Inside a lambda converted to an expression tree (e.g. a mock setup): never runs.</summary>
    InExpressionTree,

    /// <summary><c>ContinueWith</c> whose continuation reads the antecedent's failure (or runs only on failure).</summary>
    ContinuedObserving,

    /// <summary><c>ContinueWith</c> whose continuation never reads the antecedent's <c>Exception</c>, <c>IsFaulted</c> or <c>Result</c>.</summary>
    ContinuedWithoutObserving,

    /// <summary>An expression statement, <c>_ = t</c>, or a local that is never read.</summary>
    Discarded,
}

/// <summary>The fate of a task value and where it was decided.</summary>
internal readonly struct TaskUse
{
    public TaskUse(TaskUseKind kind, IOperation? site, bool throughFireAndForgetRun = false)
    {
        Kind = kind;
        Site = site;
        ThroughFireAndForgetRun = throughFireAndForgetRun;
    }

    public TaskUseKind Kind { get; }

    /// <summary>The operation that decided the fate (the statement, the <c>ContinueWith</c> call, ...).</summary>
    public IOperation? Site { get; }

    /// <summary>The task was returned from a <c>Task.Run</c>/<c>StartNew</c> lambda, and the fate is that of the <c>Task.Run</c> task.</summary>
    public bool ThroughFireAndForgetRun { get; }

    /// <summary>Nobody will ever see the task's failure.</summary>
    public bool IsUnobserved => Kind is TaskUseKind.Discarded or TaskUseKind.ContinuedWithoutObserving;

    public TaskUse WithFireAndForgetRun() => new(Kind, Site, throughFireAndForgetRun: true);
}

/// <summary>
/// Is a task value awaited, returned, stored and later awaited or observed, passed to a method, put in a
/// collection passed to <c>Task.WhenAll</c>/<c>WhenAny</c>, used with <c>?.</c>/<c>??</c>, inside an
/// expression tree, continued with a <c>ContinueWith</c> that reads its failure — or discarded?
/// Shared by KAFKA005 (unobserved <c>ProduceAsync</c>), KAFKA101 (non-awaited async call) and KAFKA117
/// (discarded consume-loop task). Precision first: whatever is not understood is <see cref="TaskUseKind.Unknown"/>.
/// </summary>
internal static class TaskObservation
{
    private const int MaxDepth = 8;

    /// <summary>The fate of the task that <paramref name="task"/> evaluates to (e.g. a <c>ProduceAsync</c> invocation).</summary>
    public static TaskUse Classify(IOperation task, OperationIndex index, FlowSymbols symbols)
    {
        if (IsInExpressionTree(task, symbols))
        {
            return new TaskUse(TaskUseKind.InExpressionTree, task);
        }

        return Follow(task, index, symbols, depth: 0);
    }

    /// <summary>
    /// Every place that waits for or reads the outcome of the task <paramref name="task"/> evaluates to
    /// (<see cref="TaskUseKind.Awaited"/> or <see cref="TaskUseKind.Inspected"/>): the await (or <c>Wait()</c>,
    /// <c>.Result</c>...) around it, or each such read of the local it initialises or is assigned to
    /// (<see cref="Classify"/> reports only the first). Empty when nothing waits for it.
    /// </summary>
    public static ImmutableArray<IOperation> ObservationSites(IOperation task, OperationIndex index, FlowSymbols symbols)
    {
        var parent = task.ParentIgnoringConversions(out var child);
        ILocalSymbol? local = parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == child => target.Local,
            _ => null,
        };
        var sites = ImmutableArray.CreateBuilder<IOperation>();
        if (local is null)
        {
            var use = Classify(task, index, symbols);
            if (use.Kind is TaskUseKind.Awaited or TaskUseKind.Inspected && use.Site is { } site)
            {
                sites.Add(site);
            }

            return sites.ToImmutable();
        }

        foreach (var reference in index.ReferencesTo(local))
        {
            if (IsWriteTarget(reference) || reference is not ILocalReferenceOperation)
            {
                continue;
            }

            var use = Follow(reference, index, symbols, depth: 1);
            if (use.Kind is TaskUseKind.Awaited or TaskUseKind.Inspected && use.Site is { } site)
            {
                sites.Add(site);
            }
        }

        return sites.ToImmutable();
    }

    public static bool IsInExpressionTree(IOperation operation, FlowSymbols symbols)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation { Parent: IConversionOperation conversion }
                && symbols.IsExpressionTree(conversion.Type))
            {
                return true;
            }
        }

        return false;
    }

    private static TaskUse Follow(IOperation value, OperationIndex index, FlowSymbols symbols, int depth)
    {
        if (depth > MaxDepth)
        {
            return new TaskUse(TaskUseKind.Unknown, value);
        }

        var parent = value.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case null:
                return new TaskUse(TaskUseKind.Unknown, value);
            case IAwaitOperation:
                return new TaskUse(TaskUseKind.Awaited, parent);
            case IExpressionStatementOperation:
                return new TaskUse(TaskUseKind.Discarded, parent);
            case ISimpleAssignmentOperation assignment when assignment.Value == child:
                return assignment.Target switch
                {
                    IDiscardOperation => new TaskUse(TaskUseKind.Discarded, assignment),
                    ILocalReferenceOperation local => FollowLocal(local.Local, assignment.Target, index, symbols, depth),
                    _ => new TaskUse(TaskUseKind.Stored, assignment),
                };
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return FollowLocal(declarator.Symbol, declarator, index, symbols, depth);
            case IReturnOperation @return:
                return FollowReturn(@return, index, symbols, depth);
            case IArgumentOperation { Parent: IInvocationOperation { Parent: IObjectOrCollectionInitializerOperation } add }:
                // new List<Task> { t1, t2 }: the collection's fate.
                return FollowCollection(add, index, symbols, depth);
            case IArgumentOperation argument:
                if (argument.Parent is IInvocationOperation call && IsWhenAllOrAny(call.TargetMethod, symbols))
                {
                    return Follow(call, index, symbols, depth + 1);
                }

                return new TaskUse(TaskUseKind.Passed, argument);
            case IInvocationOperation invocation when invocation.Instance == child:
                return FollowInstanceCall(invocation, index, symbols, depth);
            case IPropertyReferenceOperation property when property.Instance == child:
                return property.Property.Name is "Result" or "Exception" or "IsFaulted" or "Status" or "IsCompletedSuccessfully" or "IsCanceled"
                    ? new TaskUse(TaskUseKind.Inspected, property)
                    : new TaskUse(TaskUseKind.Unknown, property);
            case IConditionalAccessOperation access when access.Operation == child:
                // t?.ContinueWith(...): follow from the place the value is used inside the access.
                return FindConditionalInstance(access.WhenNotNull) is { } instance
                    ? Follow(instance, index, symbols, depth + 1)
                    : new TaskUse(TaskUseKind.Unknown, access);
            case IConditionalAccessOperation access when access.WhenNotNull == child:
                return Follow(access, index, symbols, depth + 1);
            case ICoalesceOperation coalesce:
                return Follow(coalesce, index, symbols, depth + 1);
            case IConditionalOperation conditional when child != conditional.Condition:
                return Follow(conditional, index, symbols, depth + 1);
            case ISwitchExpressionArmOperation { Parent: ISwitchExpressionOperation switchExpression }:
                return Follow(switchExpression, index, symbols, depth + 1);
            case IArrayInitializerOperation initializer:
                return FollowCollection(initializer, index, symbols, depth);
            case { IsImplicit: true, Parent: IArgumentOperation }:
                // The params array (or span) the compiler builds around arguments: Task.WhenAll(t1, t2).
                return Follow(parent, index, symbols, depth + 1);
            default:
                return new TaskUse(TaskUseKind.Unknown, parent);
        }
    }

    private static TaskUse FollowLocal(ILocalSymbol local, IOperation declaration, OperationIndex index, FlowSymbols symbols, int depth)
    {
        var reads = 0;
        TaskUse? unobserved = null;
        foreach (var reference in index.ReferencesTo(local))
        {
            if (reference == declaration || IsWriteTarget(reference))
            {
                continue;
            }

            reads++;
            var use = Follow(reference, index, symbols, depth + 1);
            if (!use.IsUnobserved)
            {
                return new TaskUse(use.Kind, use.Site);
            }

            unobserved ??= use;
        }

        return reads == 0 ? new TaskUse(TaskUseKind.Discarded, declaration) : unobserved!.Value;
    }

    private static bool IsWriteTarget(IOperation reference)
        => reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private static TaskUse FollowReturn(IReturnOperation @return, OperationIndex index, FlowSymbols symbols, int depth)
    {
        if (@return.EnclosingFunction() is IAnonymousFunctionOperation lambda
            && lambda.ParentIgnoringConversions(out _) is IDelegateCreationOperation creation
            && creation.ParentIgnoringConversions(out _) is IArgumentOperation { Parent: IInvocationOperation run }
            && IsFireAndForgetStart(run.TargetMethod, symbols))
        {
            // Task.Run(() => producer.ProduceAsync(...)): the Run task carries it; its fate decides.
            return Follow(run, index, symbols, depth + 1).WithFireAndForgetRun();
        }

        return new TaskUse(TaskUseKind.Returned, @return);
    }

    private static TaskUse FollowInstanceCall(IInvocationOperation invocation, OperationIndex index, FlowSymbols symbols, int depth)
    {
        switch (invocation.TargetMethod.Name)
        {
            case "ConfigureAwait":
            case "AsTask":
            case "Preserve":
                return Follow(invocation, index, symbols, depth + 1);
            case "Wait":
            case "GetAwaiter":
                return new TaskUse(TaskUseKind.Awaited, invocation);
            case "ContinueWith":
                return ClassifyContinuation(invocation, symbols);
            default:
                return new TaskUse(TaskUseKind.Unknown, invocation);
        }
    }

    private static TaskUse ClassifyContinuation(IInvocationOperation continueWith, FlowSymbols symbols)
    {
        IAnonymousFunctionOperation? lambda = null;
        foreach (var argument in continueWith.Arguments)
        {
            var value = argument.Value.WalkDownConversions();
            if (value.ConstantValue is { HasValue: true, Value: int options }
                && SymbolEqualityComparer.Default.Equals(argument.Value.Type, symbols.TaskContinuationOptions))
            {
                const int NotOnRanToCompletion = 0x10000;
                const int NotOnFaulted = 0x20000;
                if ((options & NotOnFaulted) != 0)
                {
                    // OnlyOnRanToCompletion and friends: the continuation never runs when the task fails.
                    return new TaskUse(TaskUseKind.ContinuedWithoutObserving, continueWith);
                }

                if ((options & NotOnRanToCompletion) != 0)
                {
                    // OnlyOnFaulted: it runs exactly when the task failed, which is reacting to the failure.
                    return new TaskUse(TaskUseKind.ContinuedObserving, continueWith);
                }
            }

            if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation function })
            {
                lambda ??= function;
            }
        }

        if (lambda is null || lambda.Symbol.Parameters.Length == 0)
        {
            // A method group or delegate we cannot read: it may well look at the task.
            return new TaskUse(TaskUseKind.Unknown, continueWith);
        }

        var antecedent = lambda.Symbol.Parameters[0];
        foreach (var node in lambda.Body.Descendants())
        {
            if (node is IParameterReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, antecedent)
                && ObservesAntecedent(reference))
            {
                return new TaskUse(TaskUseKind.ContinuedObserving, continueWith);
            }
        }

        return new TaskUse(TaskUseKind.ContinuedWithoutObserving, continueWith);
    }

    private static bool ObservesAntecedent(IOperation reference)
    {
        var parent = reference.ParentIgnoringConversions(out var child);
        return parent switch
        {
            IPropertyReferenceOperation property when property.Instance == child
                => property.Property.Name is "Exception" or "IsFaulted" or "Result" or "Status" or "IsCompletedSuccessfully" or "IsCanceled",
            IInvocationOperation invocation when invocation.Instance == child
                => invocation.TargetMethod.Name is "Wait" or "GetAwaiter" or "ConfigureAwait",
            IAwaitOperation or IArgumentOperation or IReturnOperation => true,
            _ => false,
        };
    }

    private static TaskUse FollowCollection(IOperation element, OperationIndex index, FlowSymbols symbols, int depth)
    {
        for (var parent = element.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IArrayCreationOperation or IObjectCreationOperation)
            {
                return Follow(parent, index, symbols, depth + 1);
            }

            if (parent is not (IArrayInitializerOperation or IObjectOrCollectionInitializerOperation or IInvocationOperation))
            {
                break;
            }
        }

        return new TaskUse(TaskUseKind.Unknown, element);
    }

    private static IOperation? FindConditionalInstance(IOperation whenNotNull)
    {
        foreach (var node in whenNotNull.DescendantsAndSelf())
        {
            if (node is IConditionalAccessInstanceOperation)
            {
                return node;
            }
        }

        return null;
    }

    private static bool IsWhenAllOrAny(IMethodSymbol method, FlowSymbols symbols)
        => method.Name is "WhenAll" or "WhenAny"
           && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task);

    /// <summary><c>Task.Run</c> and <c>TaskFactory.StartNew</c>: the lambda's returned task is carried by the call's task.</summary>
    public static bool IsFireAndForgetStart(IMethodSymbol method, FlowSymbols symbols)
        => (method.Name == "Run" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task))
           || (method.Name == "StartNew" && (FlowSymbols.InheritsFrom(method.ContainingType, symbols.TaskFactory) || FlowSymbols.InheritsFrom(method.ContainingType, symbols.TaskFactoryOfT)));
}
