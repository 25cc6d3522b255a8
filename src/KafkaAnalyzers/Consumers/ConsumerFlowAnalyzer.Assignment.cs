using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Consumers;

// KAFKA116: Assign on a consumer that subscribed.
internal sealed partial class ConsumerFlowAnalyzer
{
    internal static class AssignFix
    {
        /// <summary>Present (value "Seek") when the argument is one TopicPartitionOffset: Seek does what the call meant.</summary>
        public const string Kind = "KafkaAssignFix";
        public const string Seek = "Seek";
    }

    // ---- KAFKA116 -------------------------------------------------------------------------------

    private static void ReportAssignOnSubscribed(KafkaTypeAnalysis analysis, DeduplicatingReporter reporter)
    {
        var flow = analysis.Symbols.Flow;
        foreach (var instance in analysis.Consumers.Instances)
        {
            if (instance.Holder is null || !instance.Subscribes)
            {
                continue;
            }

            foreach (var assign in instance.CallsTo(ConsumerMethod.Assign))
            {
                var invocation = assign.Invocation;
                if (instance.IsInPartitionHandler(invocation)
                    || InPartitionHandlerMethod(analysis, instance, invocation)
                    || ReadsOwnAssignment(analysis, instance, assign.FirstArgument)
                    || !instance.CallsTo(ConsumerMethod.Subscribe).Any(subscribe => MaySubscribeBefore(analysis, instance, subscribe.Invocation, invocation)))
                {
                    continue;
                }

                var single = assign.FirstArgument is { } argument && SymbolEqualityComparer.Default.Equals(argument.Type, flow.TopicPartitionOffset);
                var properties = single
                    ? ImmutableDictionary<string, string?>.Empty.Add(AssignFix.Kind, AssignFix.Seek)
                    : null;
                reporter.Report(
                    Descriptors.KAFKA116_AssignOnSubscribedConsumer,
                    invocation.Syntax.GetLocation(),
                    properties,
                    additionalLocations: null,
                    instance.Holder.Name,
                    single ? "; Seek moves this one partition and keeps the others" : string.Empty);
            }
        }
    }

    /// <summary>
    /// Inside a method registered as the consumer's partition handler (method group), or a method shaped like
    /// one (an <c>IConsumer</c> and a partition list): there Assign sets what the group just handed out.
    /// </summary>
    private static bool InPartitionHandlerMethod(KafkaTypeAnalysis analysis, ConsumerInstance instance, IOperation invocation)
    {
        if (analysis.Index.OwnerOf(invocation) is not IMethodSymbol owner)
        {
            return false;
        }

        var functions = new System.Collections.Generic.List<IMethodSymbol> { owner };
        for (var parent = invocation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILocalFunctionOperation local:
                    functions.Add(local.Symbol);
                    break;
                case IAnonymousFunctionOperation lambda:
                    functions.Add(lambda.Symbol);
                    break;
            }
        }

        foreach (var handler in instance.PartitionHandlers)
        {
            var target = handler switch
            {
                IMethodReferenceOperation reference => reference.Method,
                IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => reference.Method,
                _ => null,
            };
            if (target is not null && functions.Any(f => SymbolEqualityComparer.Default.Equals(f.OriginalDefinition, target.OriginalDefinition)))
            {
                return true;
            }
        }

        return functions.Any(f => f.Parameters.Any(p => ConsumerModel.IsConsumer(analysis.Symbols, p.Type))
                                  && f.Parameters.Any(p => IsPartitionList(p.Type)));
    }

    private static bool IsPartitionList(ITypeSymbol type)
        => type is INamedTypeSymbol { IsGenericType: true } named
           && named.TypeArguments.Length == 1
           && named.TypeArguments[0].ContainingNamespace?.ToDisplayString() == "Confluent.Kafka"
           && named.TypeArguments[0].Name.StartsWith("TopicPartition", System.StringComparison.Ordinal);

    /// <summary>
    /// The argument reads the consumer's own <c>Assignment</c> (directly, through a LINQ projection, or locals
    /// initialised or assigned from it): the rewind-to-committed idiom, which keeps every partition.
    /// </summary>
    private static bool ReadsOwnAssignment(KafkaTypeAnalysis analysis, ConsumerInstance instance, IOperation? argument, int depth = 0)
    {
        if (argument is null || depth > 3)
        {
            return false;
        }

        foreach (var operation in argument.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.Name: "Assignment" } property
                    when ConsumerModel.IsConsumer(analysis.Symbols, property.Property.ContainingType)
                         && SymbolEqualityComparer.Default.Equals(ConsumerModel.HolderOf(property.Instance), instance.Holder):
                    return true;
                case ILocalReferenceOperation local when ValuesOf(analysis, local.Local).Any(value => ReadsOwnAssignment(analysis, instance, value, depth + 1)):
                    return true;
            }
        }

        return false;
    }

    /// <summary>What a local is initialised or assigned with, in this type.</summary>
    private static System.Collections.Generic.IEnumerable<IOperation> ValuesOf(KafkaTypeAnalysis analysis, ILocalSymbol local)
    {
        foreach (var declarator in analysis.Index.Declarators)
        {
            if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) && declarator.Initializer?.Value is { } value)
            {
                yield return value;
            }
        }

        foreach (var reference in analysis.Index.ReferencesTo(local))
        {
            if (reference.ParentIgnoringConversions(out var child) is ISimpleAssignmentOperation assignment && assignment.Target == child)
            {
                yield return assignment.Value;
            }
        }
    }

    /// <summary>
    /// The consumer can be subscribed when <paramref name="assign"/> runs: in the same function the
    /// <c>Subscribe</c> comes first with no <c>Unsubscribe</c>/<c>Unassign</c>/<c>Close</c> in between; in another
    /// function (a start method, a rewind method) the order is unknown and counts. Silent either way when the two
    /// sit in different branches of one conditional, or under two separate conditions (a configuration mode: topics
    /// or manual partitions), also for the call sites of the method that assigns.
    /// </summary>
    private static bool MaySubscribeBefore(KafkaTypeAnalysis analysis, ConsumerInstance instance, IOperation subscribe, IOperation assign)
    {
        if (AreExclusive(subscribe, assign))
        {
            return false;
        }

        var function = FunctionOf(assign);
        if (FunctionOf(subscribe) == function)
        {
            if (subscribe.Syntax.SpanStart > assign.Syntax.SpanStart)
            {
                return false;
            }

            return !instance.Calls.Any(c => c.Method is ConsumerMethod.Unsubscribe or ConsumerMethod.Unassign or ConsumerMethod.Close
                                            && FunctionOf(c.Invocation) == function
                                            && c.Invocation.Syntax.SpanStart > subscribe.Syntax.SpanStart
                                            && c.Invocation.Syntax.SpanStart < assign.Syntax.SpanStart);
        }

        // Assign in a private method: what matters is where that method is called.
        if (analysis.Index.OwnerOf(assign) is IMethodSymbol { DeclaredAccessibility: Accessibility.Private } method && assign.EnclosingFunction() is null)
        {
            var callers = analysis.Index.Invocations
                .Where(i => SymbolEqualityComparer.Default.Equals(i.TargetMethod.OriginalDefinition, method.OriginalDefinition))
                .ToList();
            if (callers.Count > 0 && callers.All(call => AreExclusive(subscribe, call) || UnderSeparateConditions(subscribe, call)))
            {
                return false;
            }
        }

        return !UnderSeparateConditions(subscribe, assign);
    }

    private static IOperation FunctionOf(IOperation operation) => operation.EnclosingFunction() ?? OperationIndex.Root(operation);

    /// <summary>Each operation is inside the branch of its own <c>if</c>, and neither <c>if</c> contains the other.</summary>
    private static bool UnderSeparateConditions(IOperation first, IOperation second)
    {
        if (FunctionOf(first) != FunctionOf(second))
        {
            return false;
        }

        var firstIf = EnclosingConditional(first);
        var secondIf = EnclosingConditional(second);
        return firstIf is not null && secondIf is not null && firstIf != secondIf && !IsWithin(firstIf, secondIf) && !IsWithin(secondIf, firstIf);
    }

    private static IConditionalOperation? EnclosingConditional(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && child != conditional.Condition)
            {
                return conditional;
            }
        }

        return null;
    }

    /// <summary>The two operations sit in different branches of one <c>if</c>/<c>?:</c>/<c>switch</c>: one mode subscribes, the other assigns.</summary>
    private static bool AreExclusive(IOperation first, IOperation second)
    {
        for (var parent = first.Parent; parent is not null; parent = parent.Parent)
        {
            if (!IsWithin(second, parent))
            {
                continue;
            }

            switch (parent)
            {
                case IConditionalOperation conditional:
                    return (IsWithin(first, conditional.WhenTrue) && conditional.WhenFalse is { } whenFalse && IsWithin(second, whenFalse))
                           || (IsWithin(second, conditional.WhenTrue) && conditional.WhenFalse is { } other && IsWithin(first, other));
                case ISwitchOperation @switch:
                    return @switch.Cases.Count(c => IsWithin(first, c) || IsWithin(second, c)) == 2;
                default:
                    return false;
            }
        }

        return false;
    }
}
