using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>One <c>ProducerBuilder.Build()</c> / <c>DependentProducerBuilder.Build()</c> in this type and where its producer goes.</summary>
internal sealed class ProducerBuild
{
    public ProducerBuild(IInvocationOperation invocation, IObjectCreationOperation? builder, bool isDependent, ProducerInstance instance, IMethodSymbol? returnedFrom)
    {
        Invocation = invocation;
        Builder = builder;
        IsDependent = isDependent;
        Instance = instance;
        ReturnedFrom = returnedFrom;
    }

    public IInvocationOperation Invocation { get; }

    public IObjectCreationOperation? Builder { get; }

    public bool IsDependent { get; }

    /// <summary>The instance holding the built producer (one without a holder when it is not stored in a local or field).</summary>
    public ProducerInstance Instance { get; }

    /// <summary>The method of this type that returns the new producer (a factory), when it does.</summary>
    public IMethodSymbol? ReturnedFrom { get; }
}

/// <summary>
/// Every producer a type builds, holds or is handed, and every produce call it makes: the shared model of
/// the producer call-site rules (KAFKA004-011) and of the consumer rules that ask about produced output
/// (KAFKA115). Built once per type from the <see cref="OperationIndex"/>.
/// </summary>
internal sealed class ProducerModel
{
    private static readonly HashSet<string> TransactionMethods = new()
    {
        "InitTransactions", "BeginTransaction", "CommitTransaction", "AbortTransaction", "SendOffsetsToTransaction",
    };

    private static readonly HashSet<string> KnownMembers = new()
    {
        "Produce", "ProduceAsync", "Flush", "Poll", "Dispose", "InitTransactions", "BeginTransaction", "CommitTransaction",
        "AbortTransaction", "SendOffsetsToTransaction", "AddBrokers", "SetSaslCredentials",
    };

    private readonly Dictionary<ISymbol, ProducerInstance> _byHolder;

    private ProducerModel(
        ImmutableArray<ProducerInstance> instances,
        ImmutableArray<ProduceCall> produceCalls,
        ImmutableArray<ProducerBuild> builds,
        ImmutableHashSet<IMethodSymbol> factories,
        Dictionary<ISymbol, ProducerInstance> byHolder,
        ImmutableArray<FlushCall> allFlushes,
        ImmutableArray<IInvocationOperation> allTransactionCalls)
    {
        Instances = instances;
        AllFlushes = allFlushes;
        AllTransactionCalls = allTransactionCalls;
        ProduceCalls = produceCalls;
        Builds = builds;
        Factories = factories;
        _byHolder = byHolder;
    }

    /// <summary>Producers held by a local, field or parameter of this type, and builds stored nowhere (one instance each).</summary>
    public ImmutableArray<ProducerInstance> Instances { get; }

    /// <summary>Every call of Confluent's <c>Produce</c>/<c>ProduceAsync</c> in this type, in source order.</summary>
    public ImmutableArray<ProduceCall> ProduceCalls { get; }

    public ImmutableArray<ProducerBuild> Builds { get; }

    /// <summary>Methods of this type that return a producer they build.</summary>
    public ImmutableHashSet<IMethodSymbol> Factories { get; }

    /// <summary>Every <c>Flush</c> on a Confluent producer in this type, whatever the receiver (also one the model cannot follow).</summary>
    public ImmutableArray<FlushCall> AllFlushes { get; }

    /// <summary>Every transaction call (<c>InitTransactions</c> ... <c>SendOffsetsToTransaction</c>) on a Confluent producer in this type, whatever the receiver.</summary>
    public ImmutableArray<IInvocationOperation> AllTransactionCalls { get; }

    /// <summary>
    /// Where the delivery of <paramref name="call"/>'s message is confirmed (KAFKA115): at the call, at
    /// later operations of the type, never in view, or somewhere the model cannot see.
    /// </summary>
    public DeliveryConfirmation ConfirmationOf(ProduceCall call, OperationIndex index, FlowSymbols symbols, ProjectCalls calls) => DeliveryConfirmation.Of(call, this, index, symbols, calls);

    public ProducerInstance? InstanceOf(ISymbol holder)
        => _byHolder.TryGetValue(holder.OriginalDefinition, out var instance) ? instance : null;

    /// <summary>The producer a <c>new ProducerBuilder&lt;K,V&gt;(config)</c> builds (KAFKA001/002's lossy-topic exemption).</summary>
    public ProducerInstance? InstanceBuiltBy(IObjectCreationOperation builder)
    {
        foreach (var build in Builds)
        {
            if (build.Builder == builder)
            {
                return build.Instance;
            }
        }

        return null;
    }

    /// <summary>Builds the model of one type; its loops observe <paramref name="cancellationToken"/>.</summary>
    public static ProducerModel Create(KafkaSymbols symbols, OperationIndex index, CancellationToken cancellationToken)
    {
        var builder = new Builder(symbols, index, cancellationToken);
        return builder.Build();
    }

    /// <summary>The local, field or parameter a receiver expression reads, looking through conversions and <c>?.</c>.</summary>
    public static ISymbol? ReceiverSymbol(IOperation? receiver, INamedTypeSymbol type)
    {
        var value = receiver?.WalkDownConversions();
        if (value is IConditionalAccessInstanceOperation instance)
        {
            for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access)
                {
                    value = access.Operation.WalkDownConversions();
                    break;
                }
            }
        }

        return value switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field when IsOwnField(field, type) => field.Field.OriginalDefinition,
            _ => null,
        };
    }

    private static bool IsOwnField(IFieldReferenceOperation field, INamedTypeSymbol type)
        => SymbolEqualityComparer.Default.Equals(field.Field.ContainingType.OriginalDefinition, type.OriginalDefinition)
           && (field.Field.IsStatic || field.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

    private sealed class Builder
    {
        private readonly KafkaSymbols _symbols;
        private readonly OperationIndex _index;
        private readonly Dictionary<ISymbol, ProducerInstance> _byHolder = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ProducerInstance, Uses> _uses = new();
        private readonly List<ProducerInstance> _order = new();
        private readonly HashSet<IInvocationOperation> _ownedSources = new();
        private readonly CancellationToken _cancellationToken;

        public Builder(KafkaSymbols symbols, OperationIndex index, CancellationToken cancellationToken)
        {
            _symbols = symbols;
            _index = index;
            _cancellationToken = cancellationToken;
        }

        public ProducerModel Build()
        {
            var builds = ImmutableArray.CreateBuilder<ProducerBuild>();
            var factories = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);

            // 1. Builds, where their producer goes, and the factory methods that return one.
            foreach (var invocation in _index.Invocations)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (invocation.TargetMethod.Name != "Build" || BuildKind(invocation) is not { } dependent)
                {
                    continue;
                }

                _ownedSources.Add(invocation);
                var returnedFrom = ReturningMethod(invocation);
                if (returnedFrom is not null)
                {
                    factories.Add(returnedFrom);
                }

                var instance = Receive(invocation);
                instance.IsDependent |= dependent;
                instance.Builder ??= BuilderOf(invocation);
                builds.Add(new ProducerBuild(invocation, BuilderOf(invocation), dependent, instance, returnedFrom));
            }

            // 2. Calls of those factories count as builds (a factory in the same type).
            if (factories.Count > 0)
            {
                foreach (var invocation in _index.Invocations)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    if (factories.Contains(invocation.TargetMethod.OriginalDefinition) && !_ownedSources.Contains(invocation))
                    {
                        _ownedSources.Add(invocation);
                        Receive(invocation);
                    }
                }
            }

            // 3. Every call on a producer of this type's locals, fields and parameters.
            var produceCalls = ImmutableArray.CreateBuilder<ProduceCall>();
            var allFlushes = ImmutableArray.CreateBuilder<FlushCall>();
            var allTransactions = ImmutableArray.CreateBuilder<IInvocationOperation>();
            foreach (var invocation in _index.Invocations)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var receiverType = invocation.Instance?.WalkDownConversions().Type;
                if (receiverType is null || !KafkaSymbols.ImplementsGeneric(receiverType, _symbols.IProducer))
                {
                    continue;
                }

                var holder = ReceiverSymbol(invocation.Instance, _index.Type) ?? FieldBehindProperty(invocation.Instance);
                var instance = holder is null ? null : InstanceFor(holder);
                if (IsConfluentProduce(invocation.TargetMethod))
                {
                    var call = new ProduceCall(
                        invocation,
                        instance,
                        invocation.TargetMethod.Name == "Produce" ? DeliveryHandler.Resolve(invocation, _index) : null,
                        invocation.TargetMethod.Name == "ProduceAsync" ? TaskObservation.Classify(invocation, _index, _symbols.Flow) : default,
                        TaskObservation.IsInExpressionTree(invocation, _symbols.Flow));
                    produceCalls.Add(call);
                    if (instance is not null)
                    {
                        UsesOf(instance).Produces.Add(call);
                    }

                    continue;
                }

                if (invocation.TargetMethod.Name == "Flush")
                {
                    var waitsForAllQueued = invocation.TargetMethod.ReturnsVoid;
                    allFlushes.Add(new FlushCall(invocation, waitsForAllQueued, !waitsForAllQueued && IsResultObserved(invocation)));
                }
                else if (TransactionMethods.Contains(invocation.TargetMethod.Name))
                {
                    allTransactions.Add(invocation);
                }

                if (instance is null)
                {
                    continue;
                }

                var uses = UsesOf(instance);
                switch (invocation.TargetMethod.Name)
                {
                    case "Flush":
                        var waitsForAll = invocation.TargetMethod.ReturnsVoid;
                        uses.Flushes.Add(new FlushCall(invocation, waitsForAll, !waitsForAll && IsResultObserved(invocation)));
                        break;
                    case "Poll":
                        uses.Polls.Add(invocation);
                        break;
                    case "Dispose":
                    case "DisposeAsync":
                        uses.Disposals.Add(invocation);
                        break;
                    default:
                        if (TransactionMethods.Contains(invocation.TargetMethod.Name))
                        {
                            uses.Transactions.Add(invocation);
                        }

                        break;
                }
            }

            // 4. Ownership, escape, using statements and topics of locals and fields.
            foreach (var instance in _order)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                Complete(instance);
            }

            produceCalls.Sort((a, b) => a.Invocation.Syntax.SpanStart.CompareTo(b.Invocation.Syntax.SpanStart));
            return new ProducerModel(_order.ToImmutableArray(), produceCalls.ToImmutable(), builds.ToImmutable(), factories.ToImmutable(), new Dictionary<ISymbol, ProducerInstance>(_byHolder, SymbolEqualityComparer.Default), allFlushes.ToImmutable(), allTransactions.ToImmutable());
        }

        /// <summary>
        /// <c>Producer.Produce(..)</c> where <c>Producer</c> is a private property of this type whose getter
        /// returns a field (<c>=&gt; _producer</c>, <c>=&gt; _producer ??= Build()</c>): the field is the holder.
        /// </summary>
        private ISymbol? FieldBehindProperty(IOperation? receiver)
        {
            var value = receiver?.WalkDownConversions();
            if (value is IConditionalAccessInstanceOperation)
            {
                return null;
            }

            if (value is not IPropertyReferenceOperation { Arguments.Length: 0 } property
                || property.Instance is not (null or IInstanceReferenceOperation)
                || !SymbolEqualityComparer.Default.Equals(property.Property.ContainingType.OriginalDefinition, _index.Type.OriginalDefinition)
                || property.Property.DeclaredAccessibility != Accessibility.Private
                || property.Property.GetMethod is not { } getter
                || _index.BodyOf(getter) is not { } body)
            {
                return null;
            }

            return ReturnedField(body);
        }

        private IFieldSymbol? ReturnedField(IOperation body)
        {
            IFieldSymbol? field = null;
            foreach (var node in body.Descendants())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (node is not IReturnOperation { ReturnedValue: { } returned })
                {
                    continue;
                }

                var value = returned.WalkDownConversions();
                if (value is ICoalesceAssignmentOperation coalesce)
                {
                    value = coalesce.Target;
                }

                if (value is not IFieldReferenceOperation reference || !IsOwnField(reference, _index.Type)
                    || (field is not null && !SymbolEqualityComparer.Default.Equals(field, reference.Field.OriginalDefinition)))
                {
                    return null;
                }

                field = (IFieldSymbol)reference.Field.OriginalDefinition;
            }

            return field;
        }

        /// <summary>null when not a producer build; else whether it is a dependent producer.</summary>
        private bool? BuildKind(IInvocationOperation invocation)
        {
            var type = invocation.TargetMethod.ContainingType;
            if (_symbols.IsProducerBuilder(type))
            {
                return false;
            }

            return KafkaSymbols.IsConstructedFrom(type, _symbols.DependentProducerBuilder) ? true : null;
        }

        private bool IsConfluentProduce(IMethodSymbol method)
        {
            var definition = method.OriginalDefinition;
            return _symbols.ProducerProduce.Contains(definition, SymbolEqualityComparer.Default)
                   || _symbols.ProducerProduceAsync.Contains(definition, SymbolEqualityComparer.Default);
        }

        /// <summary>The instance receiving a newly built producer (the build or a factory call): its holder's, or one of its own.</summary>
        private ProducerInstance Receive(IInvocationOperation source)
        {
            var holder = HolderOf(source);
            var instance = holder is null ? NewInstance(null, HolderKind.None) : InstanceFor(holder);
            UsesOf(instance).Sources.Add(source);
            return instance;
        }

        private ProducerInstance InstanceFor(ISymbol holder)
        {
            if (_byHolder.TryGetValue(holder, out var existing))
            {
                return existing;
            }

            var kind = holder switch
            {
                ILocalSymbol => HolderKind.Local,
                IFieldSymbol => HolderKind.Field,
                IParameterSymbol => HolderKind.Parameter,
                _ => HolderKind.None,
            };
            var instance = NewInstance(holder, kind);
            _byHolder[holder] = instance;
            return instance;
        }

        private ProducerInstance NewInstance(ISymbol? holder, HolderKind kind)
        {
            var instance = new ProducerInstance(holder, kind);
            _order.Add(instance);
            return instance;
        }

        private Uses UsesOf(ProducerInstance instance)
        {
            if (!_uses.TryGetValue(instance, out var uses))
            {
                uses = new Uses();
                _uses[instance] = uses;
            }

            return uses;
        }

        /// <summary>The local or field of this type a new producer is stored in (initializer, assignment, <c>??=</c>).</summary>
        private ISymbol? HolderOf(IOperation value)
        {
            var parent = value.ParentIgnoringConversions(out var child);
            switch (parent)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return declarator.Symbol;
                case IFieldInitializerOperation { InitializedFields.Length: 1 } initializer
                    when SymbolEqualityComparer.Default.Equals(initializer.InitializedFields[0].ContainingType.OriginalDefinition, _index.Type.OriginalDefinition):
                    return initializer.InitializedFields[0].OriginalDefinition;
                case IAssignmentOperation assignment when assignment.Value == child && parent is ISimpleAssignmentOperation or ICoalesceAssignmentOperation:
                    return assignment.Target switch
                    {
                        ILocalReferenceOperation local => local.Local,
                        IFieldReferenceOperation field when IsOwnField(field, _index.Type) => field.Field.OriginalDefinition,
                        _ => null,
                    };
                default:
                    return null;
            }
        }

        private IMethodSymbol? ReturningMethod(IOperation value)
        {
            switch (value.ParentIgnoringConversions(out _))
            {
                case IReturnOperation when value.EnclosingFunction() is null:
                    return FactoryMethod(value);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    // var producer = builder.Build(); ... return producer;
                    foreach (var reference in _index.ReferencesTo(declarator.Symbol))
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        if (reference.ParentIgnoringConversions(out _) is IReturnOperation && reference.EnclosingFunction() is null)
                        {
                            return FactoryMethod(reference);
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private IMethodSymbol? FactoryMethod(IOperation returned)
            => _index.OwnerOf(returned) is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.PropertyGet } method
                ? method.OriginalDefinition
                : null;

        private IObjectCreationOperation? BuilderOf(IInvocationOperation build)
        {
            var current = build.Instance?.WalkDownConversions();
            for (var steps = 0; current is not null && steps < 32; steps++)
            {
                switch (current)
                {
                    case IObjectCreationOperation creation:
                        return creation;
                    case IInvocationOperation chained when chained.Instance is not null && KafkaSymbols.IsConstructedFrom(chained.TargetMethod.ContainingType, build.TargetMethod.ContainingType.OriginalDefinition):
                        current = chained.Instance.WalkDownConversions();
                        break;
                    case ILocalReferenceOperation local:
                        current = _index.Declarators.FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local.Local))?.Initializer?.Value.WalkDownConversions();
                        break;
                    default:
                        return null;
                }
            }

            return null;
        }

        private static bool IsResultObserved(IInvocationOperation flush)
        {
            var parent = flush.ParentIgnoringConversions(out var child);
            switch (parent)
            {
                case IExpressionStatementOperation:
                    return false;
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                    return false;
                default:
                    return true;
            }
        }

        private void Complete(ProducerInstance instance)
        {
            var uses = UsesOf(instance);
            instance.Builds = uses.Sources.ToImmutableArray();
            instance.Produces = uses.Produces.ToImmutableArray();
            instance.Flushes = uses.Flushes.ToImmutableArray();
            instance.Polls = uses.Polls.ToImmutableArray();
            instance.TransactionCalls = uses.Transactions.ToImmutableArray();

            var holder = instance.Holder;
            if (holder is null || instance.Kind == HolderKind.Parameter)
            {
                instance.IsOwned = holder is null && uses.Sources.Count > 0;
                instance.Disposals = uses.Disposals.ToImmutableArray();
                instance.Escapes = holder is null || instance.Kind == HolderKind.Parameter;
                instance.Topics = ImmutableArray<string>.Empty;
                instance.TopicsKnown = false;
                return;
            }

            var disposals = new List<IOperation>(uses.Disposals);
            var owned = uses.Sources.Count > 0;
            var escapes = false;
            var topicsKnown = true;
            var topics = ImmutableArray.CreateBuilder<string>();

            if (holder is IFieldSymbol field)
            {
                owned &= field.DeclaredAccessibility == Accessibility.Private || field.IsReadOnly;
                escapes |= field.DeclaredAccessibility != Accessibility.Private;
                topicsKnown &= field.DeclaredAccessibility == Accessibility.Private;
                if (_index.BodyOf(field) is IFieldInitializerOperation initializer)
                {
                    owned &= IsOwnedValue(initializer.Value);
                }
            }

            foreach (var declarator in _index.Declarators)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!SymbolEqualityComparer.Default.Equals(declarator.Symbol, holder))
                {
                    continue;
                }

                if (declarator.Initializer is { } initializer)
                {
                    owned &= IsOwnedValue(initializer.Value);
                }

                if (UsingOf(declarator) is { } @using)
                {
                    disposals.Add(@using);
                }
            }

            foreach (var reference in _index.ReferencesTo(holder))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var parent = reference.ParentIgnoringConversions(out var child);
                switch (parent)
                {
                    case IInvocationOperation invocation when invocation.Instance == child:
                        topicsKnown &= KnownCall(invocation, topics);
                        break;
                    case IConditionalAccessOperation access when access.Operation == child:
                        topicsKnown &= access.WhenNotNull is IInvocationOperation call && KnownCall(call, topics);
                        break;
                    case IPropertyReferenceOperation property when property.Instance == child:
                        topicsKnown &= property.Property.Name == "Name";
                        break;
                    case IAssignmentOperation assignment when assignment.Target == child:
                        var isNull = assignment.Value.WalkDownConversions().ConstantValue is { HasValue: true, Value: null };
                        var ownedValue = IsOwnedValue(assignment.Value);
                        owned &= ownedValue || isNull;
                        topicsKnown &= (ownedValue && assignment.Value.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Build" }) || isNull;
                        break;
                    case IUsingOperation @using:
                        disposals.Add(@using);
                        break;
                    case IBinaryOperation:
                    case IIsPatternOperation:
                        break;
                    case IReturnOperation when IsPrivateGetterOf(reference, holder):
                        break;
                    default:
                        escapes = true;
                        topicsKnown = false;
                        break;
                }
            }

            instance.IsOwned = owned;
            instance.Escapes = escapes;
            instance.Disposals = disposals.Distinct().ToImmutableArray();
            instance.Topics = topics.ToImmutable();
            instance.TopicsKnown = topicsKnown && topics.Count > 0;
        }

        /// <summary>The reference is returned by a private property getter of this type whose calls the model maps to the field.</summary>
        private bool IsPrivateGetterOf(IOperation reference, ISymbol holder)
            => reference.EnclosingFunction() is null
               && _index.OwnerOf(reference) is IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol { DeclaredAccessibility: Accessibility.Private } }
               && holder is IFieldSymbol;

        private bool IsOwnedValue(IOperation value)
        {
            var unwrapped = value.WalkDownConversions();
            return unwrapped is IInvocationOperation invocation && _ownedSources.Contains(invocation);
        }

        private static IOperation? UsingOf(IVariableDeclaratorOperation declarator)
        {
            // declarator -> declaration -> group -> using (statement or declaration)
            for (IOperation? parent = declarator.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IVariableDeclarationOperation:
                    case IVariableDeclarationGroupOperation:
                        continue;
                    case IUsingOperation or IUsingDeclarationOperation:
                        return parent;
                    default:
                        return null;
                }
            }

            return null;
        }

        /// <summary>Adds the topic of a produce call; false when the call hides where the producer sends.</summary>
        private static bool KnownCall(IInvocationOperation invocation, ImmutableArray<string>.Builder topics)
        {
            var name = invocation.TargetMethod.Name;
            if (name is "Produce" or "ProduceAsync")
            {
                var destination = invocation.Arguments.Length == 0 ? null : invocation.Arguments[0].Value.WalkDownConversions();
                if (destination.TryGetConstantString(out var topic))
                {
                    topics.Add(topic);
                    return true;
                }

                if (destination is IObjectCreationOperation { Arguments.Length: >= 1 } partition
                    && partition.Arguments[0].Value.TryGetConstantString(out var partitionTopic))
                {
                    topics.Add(partitionTopic);
                    return true;
                }

                return false;
            }

            return KnownMembers.Contains(name);
        }
    }

    private sealed class Uses
    {
        public List<IInvocationOperation> Sources { get; } = new();

        public List<ProduceCall> Produces { get; } = new();

        public List<FlushCall> Flushes { get; } = new();

        public List<IInvocationOperation> Polls { get; } = new();

        public List<IOperation> Disposals { get; } = new();

        public List<IInvocationOperation> Transactions { get; } = new();
    }
}
