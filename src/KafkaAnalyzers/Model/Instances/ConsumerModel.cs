using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Every consumer of one type (<see cref="ConsumerInstance"/>) and every call made on a consumer
/// (<see cref="ConsumerCall"/>), built from the type's <see cref="OperationIndex"/> and configuration model.
/// </summary>
internal sealed class ConsumerModel
{
    private static readonly ConsumerModel Empty = new(ImmutableArray<ConsumerInstance>.Empty, ImmutableArray<ConsumerCall>.Empty, new Dictionary<IInvocationOperation, ConsumerCall>());

    private readonly Dictionary<IInvocationOperation, ConsumerCall> _byInvocation;

    private ConsumerModel(ImmutableArray<ConsumerInstance> instances, ImmutableArray<ConsumerCall> calls, Dictionary<IInvocationOperation, ConsumerCall> byInvocation)
    {
        Instances = instances;
        Calls = calls;
        _byInvocation = byInvocation;
    }

    public ImmutableArray<ConsumerInstance> Instances { get; }

    /// <summary>Every call on a consumer in the type, in source order.</summary>
    public ImmutableArray<ConsumerCall> Calls { get; }

    public ConsumerCall? CallAt(IInvocationOperation invocation) => _byInvocation.TryGetValue(invocation, out var call) ? call : null;

    public ConsumerInstance? InstanceOf(ISymbol? holder)
        => holder is null ? null : Instances.FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.Holder, holder));

    public static ConsumerModel Create(KafkaSymbols symbols, OperationIndex index, ConfigurationModel configurations, CancellationToken cancellationToken)
    {
        if (symbols.IConsumer is null)
        {
            return Empty;
        }

        var calls = new List<ConsumerCall>();
        var byInvocation = new Dictionary<IInvocationOperation, ConsumerCall>();
        var builds = new List<IInvocationOperation>();
        foreach (var invocation in index.Invocations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (symbols.ConsumerBuild is not null && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, symbols.ConsumerBuild))
            {
                builds.Add(invocation);
                continue;
            }

            var method = ConsumerCall.Classify(invocation.TargetMethod.Name);
            if (invocation.Instance is not { } receiver || !IsConsumer(symbols, receiver.Type ?? invocation.TargetMethod.ContainingType))
            {
                continue;
            }

            var call = new ConsumerCall(invocation, method, HolderOf(receiver));
            calls.Add(call);
            byInvocation[invocation] = call;
        }

        if (calls.Count == 0 && builds.Count == 0)
        {
            return Empty;
        }

        var instances = new Dictionary<ISymbol, ConsumerInstance>(SymbolEqualityComparer.Default);
        var holderless = new List<ConsumerInstance>();
        var buildsByHolder = new Dictionary<ISymbol, List<IInvocationOperation>>(SymbolEqualityComparer.Default);
        foreach (var build in builds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var holder = BuildHolder(build);
            if (holder is null)
            {
                var instance = new ConsumerInstance(null) { Builds = ImmutableArray.Create(build), Escapes = true };
                SetBuilder(symbols, index, configurations, instance, build);
                holderless.Add(instance);
                continue;
            }

            if (!buildsByHolder.TryGetValue(holder, out var list))
            {
                buildsByHolder[holder] = list = new List<IInvocationOperation>();
            }

            list.Add(build);
        }

        foreach (var pair in buildsByHolder)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instance = new ConsumerInstance(pair.Key) { Builds = pair.Value.ToImmutableArray() };
            if (pair.Value.Count == 1)
            {
                SetBuilder(symbols, index, configurations, instance, pair.Value[0]);
            }

            instances[pair.Key] = instance;
        }

        foreach (var call in calls)
        {
            if (call.Holder is { } holder && !instances.ContainsKey(holder))
            {
                instances[holder] = new ConsumerInstance(holder);
            }
        }

        foreach (var instance in instances.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var own = calls.Where(c => SymbolEqualityComparer.Default.Equals(c.Holder, instance.Holder)).ToImmutableArray();
            foreach (var call in own)
            {
                call.Instance = instance;
            }

            instance.Calls = own;
            instance.Escapes = Escapes(index, instance);
            instance.Disposals = Disposals(index, instance);
            instance.IsOwned = !instance.Builds.IsEmpty
                               && ((instance.IsLocal && !instance.Escapes) || IsPrivateMemberOf(instance.Holder, index.Type));
        }

        var all = instances.Values.Concat(holderless)
            .OrderBy(i => i.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(i => i.Location.SourceSpan.Start)
            .ToImmutableArray();
        return new ConsumerModel(all, calls.ToImmutableArray(), byInvocation);
    }

    public static bool IsConsumer(KafkaSymbols symbols, ITypeSymbol? type)
        => KafkaSymbols.ImplementsGeneric(type, symbols.IConsumer)
           || (type is ITypeParameterSymbol parameter && parameter.ConstraintTypes.Any(t => KafkaSymbols.ImplementsGeneric(t, symbols.IConsumer)));

    /// <summary>The local, field, property or parameter an expression reads (through conversions and <c>?.</c>).</summary>
    public static ISymbol? HolderOf(IOperation? operation)
    {
        switch (operation?.WalkDownConversions())
        {
            case ILocalReferenceOperation local:
                return local.Local;
            case IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation:
                return field.Field.OriginalDefinition;
            case IPropertyReferenceOperation { Arguments.Length: 0 } property when property.Instance is null or IInstanceReferenceOperation:
                return property.Property.OriginalDefinition;
            case IParameterReferenceOperation parameter:
                return parameter.Parameter;
            case IConditionalAccessInstanceOperation instance:
                for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalAccessOperation access)
                    {
                        return HolderOf(access.Operation);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static ISymbol? BuildHolder(IInvocationOperation build)
    {
        var parent = build.ParentIgnoringConversions(out var child);
        if (parent is ICoalesceAssignmentOperation coalesce && coalesce.Value == child)
        {
            return HolderOf(coalesce.Target);
        }

        switch (parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return declarator.Symbol;
            case IFieldInitializerOperation { InitializedFields.Length: 1 } field:
                return field.InitializedFields[0].OriginalDefinition;
            case IPropertyInitializerOperation { InitializedProperties.Length: 1 } property:
                return property.InitializedProperties[0].OriginalDefinition;
            case ISimpleAssignmentOperation assignment when assignment.Value == child:
                return HolderOf(assignment.Target) is { } target and not IParameterSymbol ? target : null;
            default:
                return null;
        }
    }

    /// <summary>The builder creation a Build() call ends: <c>new ConsumerBuilder(config).Set…(…).Build()</c>, or a local holding the builder.</summary>
    private static void SetBuilder(KafkaSymbols symbols, OperationIndex index, ConfigurationModel configurations, ConsumerInstance instance, IInvocationOperation build)
    {
        var handlers = ImmutableArray.CreateBuilder<IOperation>();
        IOperation? current = build.Instance?.WalkDownConversions();
        var chain = new List<IInvocationOperation>();
        while (current is IInvocationOperation call && symbols.IsConsumerBuilder(call.TargetMethod.ContainingType))
        {
            chain.Add(call);
            current = call.Instance?.WalkDownConversions();
        }

        IObjectCreationOperation? creation = current as IObjectCreationOperation;
        if (current is ILocalReferenceOperation local)
        {
            foreach (var declarator in index.Declarators)
            {
                if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local)
                    && declarator.Initializer?.Value.WalkDownConversions() is IObjectCreationOperation declared)
                {
                    creation = declared;
                }
            }

            foreach (var reference in index.ReferencesTo(local.Local))
            {
                if (reference.Parent is IInvocationOperation builderCall && builderCall.Instance == reference)
                {
                    chain.Add(builderCall);
                }
            }
        }

        foreach (var call in chain)
        {
            if (call.TargetMethod.Name.StartsWith("SetPartitions", System.StringComparison.Ordinal) && call.Arguments.Length > 0)
            {
                handlers.Add(call.Arguments[0].Value.WalkDownConversions());
            }
        }

        instance.PartitionHandlers = handlers.ToImmutable();
        if (creation is null || !symbols.IsConsumerBuilder(creation.Type))
        {
            return;
        }

        instance.Builder = creation;
        foreach (var context in configurations.Contexts)
        {
            if (context.Builder == creation)
            {
                instance.Config = context;
                break;
            }
        }
    }

    private static bool Escapes(OperationIndex index, ConsumerInstance instance)
    {
        if (instance.Holder is not (ILocalSymbol or IFieldSymbol))
        {
            // Parameters are not owned; property references are not indexed (their uses are the calls).
            return instance.Holder is IParameterSymbol;
        }

        foreach (var reference in index.ReferencesTo(instance.Holder))
        {
            var parent = reference.ParentIgnoringConversions(out var child);
            switch (parent)
            {
                case IInvocationOperation invocation when invocation.Instance == child:
                case IConditionalAccessOperation access when access.Operation == child:
                case IPropertyReferenceOperation property when property.Instance == child:
                case IUsingOperation:
                case IBinaryOperation:
                case IIsPatternOperation:
                case IExpressionStatementOperation:
                    continue;
                case ISimpleAssignmentOperation assignment when assignment.Target == child:
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == child:
                    continue;
                case IVariableDeclaratorOperation:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private static ImmutableArray<IOperation> Disposals(OperationIndex index, ConsumerInstance instance)
    {
        var disposals = ImmutableArray.CreateBuilder<IOperation>();
        if (instance.Holder is ILocalSymbol local)
        {
            foreach (var declarator in index.Declarators)
            {
                if (!SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                {
                    continue;
                }

                for (var parent = declarator.Parent; parent is IVariableDeclarationOperation or IVariableDeclarationGroupOperation or IUsingOperation or IUsingDeclarationOperation; parent = parent.Parent)
                {
                    if (parent is IUsingOperation or IUsingDeclarationOperation)
                    {
                        disposals.Add(parent);
                        break;
                    }
                }
            }

            foreach (var reference in index.ReferencesTo(local))
            {
                if (reference.Parent is IUsingOperation usingOperation && usingOperation.Resources == reference)
                {
                    disposals.Add(usingOperation);
                }
            }
        }

        foreach (var call in instance.Calls)
        {
            if (call.Method == ConsumerMethod.Dispose)
            {
                disposals.Add(call.Invocation);
            }
        }

        return disposals.ToImmutable();
    }

    private static bool IsPrivateMemberOf(ISymbol? holder, INamedTypeSymbol type)
        => holder is IFieldSymbol or IPropertySymbol
           && holder.DeclaredAccessibility == Accessibility.Private
           && SymbolEqualityComparer.Default.Equals(holder.ContainingType.OriginalDefinition, type.OriginalDefinition);
}
