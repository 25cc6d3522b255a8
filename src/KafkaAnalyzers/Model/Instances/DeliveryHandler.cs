using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

internal enum DeliveryHandlerKind
{
    /// <summary>No handler argument, or <c>null</c>/<c>default</c>.</summary>
    None,

    /// <summary>A lambda or anonymous method written at the call.</summary>
    Lambda,

    /// <summary>A method group naming a local function.</summary>
    LocalFunction,

    /// <summary>A method group naming a method (of this type when its body can be read).</summary>
    Method,

    /// <summary>A field, property or local holding the delegate.</summary>
    Variable,

    /// <summary>A parameter of the enclosing method: forwarded from the caller.</summary>
    Parameter,

    /// <summary>Anything else (a factory call, a conditional, ...).</summary>
    Other,
}

/// <summary>One body a delivery handler can run: the operation tree and its <c>DeliveryReport</c> parameter.</summary>
internal readonly struct HandlerBody
{
    public HandlerBody(IOperation body, IParameterSymbol report, IOperation declaration)
    {
        Body = body;
        Report = report;
        Declaration = declaration;
    }

    public IOperation Body { get; }

    public IParameterSymbol Report { get; }

    /// <summary>The lambda, local function or method declaration the body belongs to.</summary>
    public IOperation Declaration { get; }
}

/// <summary>
/// The delivery handler passed to <c>Produce</c>, resolved to the bodies it may run where the code shows
/// them, and whether those bodies look at the outcome (<c>Error</c>, <c>Status</c>) of the report.
/// </summary>
internal sealed class DeliveryHandler
{
    private static readonly HashSet<string> OutcomeMembers = new() { "Error", "Status", "TopicPartitionOffsetError" };

    private static readonly HashSet<string> PayloadMembers = new()
    {
        "Topic", "Partition", "Offset", "TopicPartition", "TopicPartitionOffset", "Message", "Key", "Value", "Timestamp", "Headers",
    };

    private DeliveryHandler(DeliveryHandlerKind kind, IOperation? argument, ImmutableArray<HandlerBody> bodies, bool bodiesComplete)
    {
        Kind = kind;
        Argument = argument;
        Bodies = bodies;
        BodiesComplete = bodiesComplete;
    }

    public DeliveryHandlerKind Kind { get; }

    /// <summary>The handler argument as written (null when absent).</summary>
    public IOperation? Argument { get; }

    /// <summary>The bodies the handler may run, where the code shows them.</summary>
    public ImmutableArray<HandlerBody> Bodies { get; }

    /// <summary>Every body the handler may run is in <see cref="Bodies"/>.</summary>
    public bool BodiesComplete { get; }

    public bool IsMissing => Kind == DeliveryHandlerKind.None;

    /// <summary>
    /// Every body is known and none reads the report's <c>Error</c>, <c>Status</c> or
    /// <c>TopicPartitionOffsetError</c>, nor hands the report to other code: a failed delivery looks like a success.
    /// </summary>
    public bool IgnoresOutcome => BodiesComplete && !Bodies.IsEmpty && Bodies.All(b => !MayReadOutcome(b));

    public static DeliveryHandler Resolve(IInvocationOperation produce, OperationIndex index)
    {
        IArgumentOperation? argument = null;
        foreach (var candidate in produce.Arguments)
        {
            if (candidate.Parameter?.Ordinal == 2)
            {
                argument = candidate;
            }
        }

        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return new DeliveryHandler(DeliveryHandlerKind.None, null, ImmutableArray<HandlerBody>.Empty, bodiesComplete: true);
        }

        var value = argument.Value.WalkDownConversions();
        if (value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
        {
            return new DeliveryHandler(DeliveryHandlerKind.None, argument.Value, ImmutableArray<HandlerBody>.Empty, bodiesComplete: true);
        }

        var bodies = ImmutableArray.CreateBuilder<HandlerBody>();
        var kind = ResolveValue(value, index, bodies, out var complete, depth: 0);
        return new DeliveryHandler(kind, argument.Value, bodies.ToImmutable(), complete);
    }

    private static DeliveryHandlerKind ResolveValue(IOperation value, OperationIndex index, ImmutableArray<HandlerBody>.Builder bodies, out bool complete, int depth)
    {
        complete = false;
        value = value.WalkDownConversions();
        if (value is IDelegateCreationOperation creation)
        {
            value = creation.Target.WalkDownConversions();
        }

        switch (value)
        {
            case IAnonymousFunctionOperation lambda:
                if (lambda.Symbol.Parameters.Length == 1)
                {
                    bodies.Add(new HandlerBody(lambda.Body, lambda.Symbol.Parameters[0], lambda));
                    complete = true;
                }

                return DeliveryHandlerKind.Lambda;
            case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } local } reference:
                if (FindLocalFunction(reference, local) is { Body: { } localBody } function && local.Parameters.Length == 1)
                {
                    bodies.Add(new HandlerBody(localBody, local.Parameters[0], function));
                    complete = true;
                }

                return DeliveryHandlerKind.LocalFunction;
            case IMethodReferenceOperation method:
                if (method.Method.Parameters.Length == 1
                    && index.BodyOf(method.Method) is { } methodBody
                    && !method.Method.IsVirtual && !method.Method.IsAbstract && !method.Method.IsOverride)
                {
                    bodies.Add(new HandlerBody(methodBody, method.Method.Parameters[0], methodBody));
                    complete = true;
                }

                return DeliveryHandlerKind.Method;
            case IParameterReferenceOperation:
                return DeliveryHandlerKind.Parameter;
            case ILocalReferenceOperation localReference when depth == 0:
                complete = ResolveWrites(localReference.Local, index, bodies);
                return DeliveryHandlerKind.Variable;
            case IFieldReferenceOperation fieldReference when depth == 0 && IsOwnMember(fieldReference.Field, index):
                complete = fieldReference.Field.IsReadOnly && ResolveWrites(fieldReference.Field.OriginalDefinition, index, bodies);
                return DeliveryHandlerKind.Variable;
            case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                return DeliveryHandlerKind.Variable;
            default:
                return DeliveryHandlerKind.Other;
        }
    }

    /// <summary>Every value written to a local or readonly field is a handler whose body we can read.</summary>
    private static bool ResolveWrites(ISymbol variable, OperationIndex index, ImmutableArray<HandlerBody>.Builder bodies)
    {
        var values = new List<IOperation>();
        if (variable is IFieldSymbol && index.BodyOf(variable) is IFieldInitializerOperation initializer)
        {
            values.Add(initializer.Value);
        }

        foreach (var declarator in index.Declarators)
        {
            if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, variable) && declarator.Initializer is { } localInitializer)
            {
                values.Add(localInitializer.Value);
            }
        }

        foreach (var reference in index.ReferencesTo(variable))
        {
            var parent = reference.ParentIgnoringConversions(out var child);
            if (parent is IAssignmentOperation assignment && assignment.Target == child)
            {
                if (parent is not ISimpleAssignmentOperation)
                {
                    return false; // += on a delegate, ??=: more than one body, or one we cannot pin down
                }

                values.Add(assignment.Value);
            }
        }

        if (values.Count == 0)
        {
            return false;
        }

        foreach (var value in values)
        {
            var kind = ResolveValue(value, index, bodies, out var complete, depth: 1);
            if (!complete || kind is DeliveryHandlerKind.Variable or DeliveryHandlerKind.Parameter or DeliveryHandlerKind.Other)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOwnMember(ISymbol member, OperationIndex index)
        => SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, index.Type.OriginalDefinition);

    private static ILocalFunctionOperation? FindLocalFunction(IOperation from, IMethodSymbol local)
    {
        foreach (var node in OperationIndex.Root(from).Descendants())
        {
            if (node is ILocalFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, local))
            {
                return function;
            }
        }

        return null;
    }

    /// <summary>
    /// The body reads the outcome, or does something with the report we cannot follow (passes it on,
    /// stores it, matches a pattern on it): both count as looking at the outcome.
    /// </summary>
    public static bool MayReadOutcome(HandlerBody handler)
    {
        foreach (var node in handler.Body.Descendants())
        {
            if (node is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, handler.Report))
            {
                continue;
            }

            var parent = reference.ParentIgnoringConversions(out var child);
            if (parent is IPropertyReferenceOperation property && property.Instance == child)
            {
                if (OutcomeMembers.Contains(property.Property.Name))
                {
                    return true;
                }

                if (!PayloadMembers.Contains(property.Property.Name))
                {
                    return true;
                }

                continue;
            }

            if (parent is IConditionalAccessOperation access && access.Operation == child)
            {
                // report?.Error ...: look at what is accessed.
                if (access.WhenNotNull is IPropertyReferenceOperation accessed && PayloadMembers.Contains(accessed.Property.Name))
                {
                    continue;
                }

                return true;
            }

            // Passed to a method, stored, returned, pattern-matched, interpolated...: someone may read it.
            if (parent is IInterpolationOperation)
            {
                // $"... {report} ..." prints the report (DeliveryReport has no ToString of its outcome).
                continue;
            }

            return true;
        }

        return false;
    }
}
