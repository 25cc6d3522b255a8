using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Every Kafka configuration in one type: each write the analyzer can see (<see cref="Writes"/>) and
/// the effective settings each client receives (<see cref="Contexts"/>). Rules query this model; they
/// never walk assignments themselves.
/// </summary>
/// <remarks>
/// A configuration is tracked from its creation (<c>new ProducerConfig {...}</c>, a
/// <c>Dictionary&lt;string,string&gt;</c> or a list/array of key-value pairs) through the local or
/// private field holding it. Writes apply in source order (last writer wins); writes on some paths
/// only make that setting Unknown; handing the configuration to code we cannot see while it is still
/// used (a binder, an out parameter, a method before the builder) makes every setting Unknown.
/// </remarks>
internal sealed class ConfigurationModel
{
    private const int MaxCopyDepth = 8;

    private readonly KafkaSymbols _symbols;
    private readonly OperationIndex _index;
    private readonly Dictionary<IOperation, TrackedConfig> _byOrigin = new();
    private readonly Dictionary<ISymbol, TrackedConfig> _byHolder = new(SymbolEqualityComparer.Default);
    private readonly List<TrackedConfig> _configs = new();
    private readonly Dictionary<IOperation, ConfigWrite> _writes = new();
    private readonly List<IObjectCreationOperation> _builders = new();
    private readonly CancellationToken _cancellationToken;

    private ConfigurationModel(KafkaSymbols symbols, OperationIndex index, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _index = index;
        _cancellationToken = cancellationToken;
    }

    public ImmutableArray<ConfigWrite> Writes { get; private set; } = ImmutableArray<ConfigWrite>.Empty;

    public ImmutableArray<ConfigContext> Contexts { get; private set; } = ImmutableArray<ConfigContext>.Empty;

    /// <summary>
    /// Writes on Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c> (tracked like client configurations,
    /// kept apart from <see cref="Writes"/>: their keys never reach librdkafka).
    /// </summary>
    public ImmutableArray<ConfigWrite> SchemaRegistryWrites { get; private set; } = ImmutableArray<ConfigWrite>.Empty;

    /// <summary>Each <c>SchemaRegistryConfig</c> created here, with its settings at the end of the code that fills it (no defaults apply).</summary>
    public ImmutableArray<ConfigContext> SchemaRegistryContexts { get; private set; } = ImmutableArray<ConfigContext>.Empty;

    public static ConfigurationModel Create(KafkaSymbols symbols, OperationIndex index, CancellationToken cancellationToken)
    {
        var model = new ConfigurationModel(symbols, index, cancellationToken);
        model.Analyze();
        return model;
    }

    private void Analyze()
    {
        foreach (var creation in _index.ObjectCreations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (BuilderRole(creation.Type) != ClientRole.Unknown && creation.Arguments.Length >= 1)
            {
                _builders.Add(creation);
            }
        }

        var wraps = new List<IObjectCreationOperation>();
        foreach (var creation in _index.ObjectCreations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (IsWrap(creation))
            {
                wraps.Add(creation);
            }
            else if (ShapeOf(creation.Type) is { } shape)
            {
                Track(creation, shape);
            }
        }

        foreach (var array in _index.ArrayCreations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (array.Type is IArrayTypeSymbol { Rank: 1 } arrayType && _symbols.IsStringPair(arrayType.ElementType))
            {
                Track(array, ConfigShape.PairList);
            }
        }

        foreach (var wrap in wraps)
        {
            TrackWrap(wrap);
        }

        BindAliases();
        foreach (var config in _configs.Distinct())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            CollectEvents(config);
        }

        CollectUntrackedWrites();
        Contexts = BuildContexts();
        var writes = _writes.Values
            .Where(w => !_writeOwners.TryGetValue(w, out var owner) || owner.FeedsKafka)
            .OrderBy(w => w.Operation.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(w => w.Operation.Syntax.SpanStart)
            .ToList();
        Writes = writes.Where(w => !w.IsSchemaRegistry).ToImmutableArray();
        SchemaRegistryWrites = writes.Where(w => w.IsSchemaRegistry).ToImmutableArray();
        SchemaRegistryContexts = _configs.Distinct()
            .Where(c => c.IsSchemaRegistry && c.IsVisible)
            .Select(c => new ConfigContext(ClientRole.Unknown, StateAt(c, at: null, depth: 0), c.PrimaryOrigin, builder: null))
            .ToImmutableArray();
    }

    private readonly Dictionary<ConfigWrite, TrackedConfig> _writeOwners = new();

    // ---- Tracking creations and their holders -------------------------------------------------

    private ConfigShape? ShapeOf(ITypeSymbol? type)
    {
        if (_symbols.IsKafkaConfigType(type) || _symbols.IsSchemaRegistryConfigType(type))
        {
            return ConfigShape.Typed;
        }

        if (KafkaSymbols.IsConstructedFrom(type, _symbols.Dictionary) && _symbols.IsStringDictionary(type))
        {
            return ConfigShape.Dictionary;
        }

        return _symbols.IsStringPairList(type) ? ConfigShape.PairList : null;
    }

    /// <summary><c>new ProducerConfig(dictionary)</c>: Confluent wraps the dictionary in place instead of copying it.</summary>
    private bool IsWrap(IObjectCreationOperation creation)
        => _symbols.IsKafkaConfigType(creation.Type)
           && creation.Constructor is { Parameters.Length: 1 } ctor
           && _symbols.IsStringDictionary(ctor.Parameters[0].Type);

    private TrackedConfig Track(IOperation creation, ConfigShape shape)
    {
        var config = new TrackedConfig(creation, shape, creation.Type!);
        config.IsSchemaRegistry = _symbols.IsSchemaRegistryConfigType(creation.Type);
        _byOrigin[creation] = config;
        _configs.Add(config);

        if (creation is IObjectCreationOperation objectCreation)
        {
            if (shape == ConfigShape.Typed && !_symbols.IsConfluentConfigType(creation.Type)
                && !SymbolEqualityComparer.Default.Equals(creation.Type, _symbols.SchemaRegistryConfig))
            {
                // A user subclass: its constructor may set anything before the initializer runs.
                config.StartsInvisible = true;
            }

            ClassifyConstructorArguments(config, objectCreation);
            AddInitializerWrites(config, objectCreation.Initializer, creation);
        }
        else if (creation is IArrayCreationOperation { Initializer: { } arrayInitializer })
        {
            foreach (var element in arrayInitializer.ElementValues)
            {
                AddInitialWrite(config, PairWrite(element, element, conditional: false));
            }
        }
        else if (creation is IArrayCreationOperation)
        {
            config.StartsInvisible = true;
        }

        BindHolder(config, creation);
        return config;
    }

    private void ClassifyConstructorArguments(TrackedConfig config, IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            var type = argument.Parameter?.Type;
            if (type is null || type.SpecialType == SpecialType.System_Int32 || type.Name == "IEqualityComparer")
            {
                continue;
            }

            // new ProducerConfig(clientConfig), new Dictionary<string,string>(other): a copy.
            config.CopySource = argument.Value.WalkDownConversions();
        }
    }

    private void TrackWrap(IObjectCreationOperation wrap)
    {
        var inner = Resolve(wrap.Arguments[0].Value);
        if (inner is null)
        {
            var config = Track(wrap, ConfigShape.Typed);
            config.StartsInvisible = true;
            return;
        }

        inner.FeedsKafka = true;
        inner.KafkaType = wrap.Type;
        inner.PrimaryOrigin = wrap;
        _byOrigin[wrap] = inner;
        if (wrap.Initializer is not null)
        {
            foreach (var write in InitializerWrites(inner, wrap.Initializer, wrap))
            {
                inner.Events.Add(Record(inner, wrap, write, external: false));
            }
        }

        BindHolder(inner, wrap);
    }

    private void BindHolder(TrackedConfig config, IOperation creation)
    {
        var parent = creation.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case IFieldInitializerOperation fieldInitializer:
                foreach (var field in fieldInitializer.InitializedFields)
                {
                    AddHolder(config, field, isField: true);
                }

                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                AddHolder(config, declarator.Symbol, isField: false);
                break;
            case ISimpleAssignmentOperation assignment when assignment.Value == child:
                switch (assignment.Target)
                {
                    case ILocalReferenceOperation local:
                        AddHolder(config, local.Local, isField: false);
                        break;
                    case IFieldReferenceOperation field when _index.IsInitialization(assignment, field.Field.IsStatic):
                        AddHolder(config, field.Field, isField: true);
                        break;
                }

                break;
        }

        if (config.Scope is null)
        {
            config.Scope = config.IsField ? OperationIndex.Root(creation) : creation.EnclosingScope();
        }
    }

    private void AddHolder(TrackedConfig config, ISymbol holder, bool isField)
    {
        if (isField && !IsTrackableField(holder))
        {
            return;
        }

        holder = holder.OriginalDefinition;
        if (_byHolder.TryGetValue(holder, out var existing) && existing != config)
        {
            // The same variable holds two configurations: neither can be followed.
            existing.Ambiguous = true;
            config.Ambiguous = true;
            return;
        }

        _byHolder[holder] = config;
        if (!config.Holders.Contains(holder, SymbolEqualityComparer.Default))
        {
            config.Holders.Add(holder);
        }

        config.IsField |= isField;
        config.IsStatic |= holder.IsStatic;
    }

    private bool IsTrackableField(ISymbol symbol)
        => symbol is IFieldSymbol { IsConst: false, DeclaredAccessibility: Accessibility.Private } field
           && SymbolEqualityComparer.Default.Equals(field.ContainingType.OriginalDefinition, _index.Type.OriginalDefinition);

    /// <summary><c>var b = a;</c> where <c>a</c> holds a tracked configuration: <c>b</c> holds the same object.</summary>
    private void BindAliases()
    {
        foreach (var config in _configs.Distinct().ToList())
        {
            foreach (var holder in config.Holders.ToList())
            {
                foreach (var reference in _index.ReferencesTo(holder))
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var parent = reference.ParentIgnoringConversions(out var child);
                    if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
                    {
                        AddHolder(config, declarator.Symbol, isField: false);
                    }
                    else if (parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment && assignment.Value == child)
                    {
                        AddHolder(config, local.Local, isField: false);
                    }
                }
            }
        }
    }

    private TrackedConfig? Resolve(IOperation? expression)
    {
        switch (expression?.WalkDownConversions())
        {
            case null:
                return null;
            case ILocalReferenceOperation local:
                return _byHolder.TryGetValue(local.Local, out var byLocal) ? byLocal : null;
            case IFieldReferenceOperation field:
                return _byHolder.TryGetValue(field.Field.OriginalDefinition, out var byField) ? byField : null;
            case var other:
                return _byOrigin.TryGetValue(other, out var byOrigin) ? byOrigin : null;
        }
    }

    // ---- Writes --------------------------------------------------------------------------------

    private void AddInitializerWrites(TrackedConfig config, IObjectOrCollectionInitializerOperation? initializer, IOperation creation)
    {
        if (initializer is null)
        {
            return;
        }

        foreach (var write in InitializerWrites(config, initializer, creation))
        {
            AddInitialWrite(config, write);
        }
    }

    private void AddInitialWrite(TrackedConfig config, ConfigWrite write)
    {
        config.InitialWrites.Add(write);
        Remember(config, write);
    }

    private IEnumerable<ConfigWrite> InitializerWrites(TrackedConfig config, IObjectOrCollectionInitializerOperation initializer, IOperation creation)
    {
        foreach (var element in initializer.Initializers)
        {
            switch (element)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment:
                    yield return PropertyWrite(assignment, property, assignment.Value, conditional: false);
                    break;
                case IInvocationOperation invocation when config.Shape == ConfigShape.Dictionary && invocation.Arguments.Length == 2:
                    yield return Write(invocation, ConfigWriteForm.DictionaryEntry, invocation.Arguments[0].Value, invocation.Arguments[1].Value, conditional: false);
                    break;
                case IInvocationOperation { Arguments.Length: 1 } invocation when config.Shape == ConfigShape.PairList:
                    yield return PairWrite(invocation.Arguments[0].Value, invocation.Arguments[0].Value, conditional: false);
                    break;
                case IMemberInitializerOperation:
                    break;
                default:
                    yield return Write(element, ConfigWriteForm.DictionaryEntry, key: null, value: null, conditional: false);
                    break;
            }
        }
    }

    private ConfigWrite PropertyWrite(IOperation assignment, IPropertyReferenceOperation property, IOperation? value, bool conditional)
    {
        if (property.Property.IsIndexer)
        {
            var key = property.Arguments.Length == 1 ? property.Arguments[0].Value : null;
            return Write(assignment, ConfigWriteForm.DictionaryEntry, key, value, conditional);
        }

        if (_writes.TryGetValue(assignment, out var existing))
        {
            return existing;
        }

        var registry = _symbols.IsSchemaRegistryConfigType(property.Property.ContainingType);
        var write = new ConfigWrite(
            assignment,
            ConfigWriteForm.Property,
            registry
                ? _symbols.SchemaRegistryKeys.TryGetValue(property.Property.Name, out var registryKey) ? registryKey : null
                : LibrdkafkaProperties.KeyForProperty(property.Property.Name),
            keyOperation: null,
            value,
            property.Property,
            conditional,
            registry);
        _writes[assignment] = write;
        return write;
    }

    private ConfigWrite Write(IOperation operation, ConfigWriteForm form, IOperation? key, IOperation? value, bool conditional, bool schemaRegistry = false)
    {
        if (_writes.TryGetValue(operation, out var existing))
        {
            return existing;
        }

        var keyText = key.TryGetConstantString(out var text) ? text : null;
        var write = new ConfigWrite(operation, form, keyText, key, value, property: null, conditional, schemaRegistry);
        _writes[operation] = write;
        return write;
    }

    /// <summary>A key-value pair element: <c>new("acks", "1")</c>, <c>new KeyValuePair&lt;string,string&gt;(...)</c>, <c>KeyValuePair.Create(...)</c>.</summary>
    private ConfigWrite PairWrite(IOperation element, IOperation writeOperation, bool conditional)
    {
        switch (element.WalkDownConversions())
        {
            case IObjectCreationOperation { Arguments.Length: 2 } creation when _symbols.IsStringPair(creation.Type):
                return Write(creation, ConfigWriteForm.Pair, creation.Arguments[0].Value, creation.Arguments[1].Value, conditional);
            case IInvocationOperation { Arguments.Length: 2 } invocation
                when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _symbols.KeyValuePairStatic):
                return Write(invocation, ConfigWriteForm.Pair, invocation.Arguments[0].Value, invocation.Arguments[1].Value, conditional);
            default:
                return Write(writeOperation, ConfigWriteForm.Pair, key: null, value: null, conditional);
        }
    }

    private void Remember(TrackedConfig config, ConfigWrite write)
    {
        if (!_writeOwners.ContainsKey(write))
        {
            _writeOwners[write] = config;
        }
    }

    /// <summary>Writes on configurations we do not track (parameters, options, user subclasses): still writes.</summary>
    private void CollectUntrackedWrites()
    {
        foreach (var operation in _index.PropertyWrites)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var target = operation switch
            {
                ISimpleAssignmentOperation s => s.Target,
                ICompoundAssignmentOperation c => c.Target,
                ICoalesceAssignmentOperation c => c.Target,
                _ => null,
            };
            if (target is IPropertyReferenceOperation { Property.IsIndexer: false } property
                && (_symbols.IsKafkaConfigType(property.Property.ContainingType) || _symbols.IsSchemaRegistryConfigType(property.Property.ContainingType))
                && !_writes.ContainsKey(operation))
            {
                var value = operation is ISimpleAssignmentOperation simple ? simple.Value : null;
                PropertyWrite(operation, property, value, conditional: true);
            }
        }

        foreach (var invocation in _index.Invocations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (IsConfigSet(invocation) && !_writes.ContainsKey(invocation))
            {
                Write(invocation, ConfigWriteForm.SetCall, invocation.Arguments[0].Value, invocation.Arguments[1].Value, conditional: true, IsRegistrySet(invocation));
            }
        }
    }

    /// <summary><c>config.Set(key, value)</c> on a client configuration (Set is declared on Config, so the receiver decides), or on a <c>SchemaRegistryConfig</c>.</summary>
    private bool IsConfigSet(IInvocationOperation invocation)
        => IsRegistrySet(invocation)
           || (invocation.Arguments.Length == 2
           && invocation.TargetMethod.Name == "Set"
           && _symbols.IsKafkaConfigType(invocation.TargetMethod.ContainingType)
           && (invocation.Instance?.Type is not { } receiver
               || _symbols.IsKafkaConfigType(receiver)
               || (receiver is ITypeParameterSymbol parameter && parameter.ConstraintTypes.Any(_symbols.IsKafkaConfigType))));

    private bool IsRegistrySet(IInvocationOperation invocation)
        => invocation.Arguments.Length == 2
           && invocation.TargetMethod.Name == "Set"
           && _symbols.IsSchemaRegistryConfigType(invocation.TargetMethod.ContainingType);

    // ---- Events: what happens to a tracked configuration after it is created --------------------

    private void CollectEvents(TrackedConfig config)
    {
        foreach (var holder in config.Holders)
        {
            foreach (var reference in _index.ReferencesTo(holder))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var external = config.IsField && !_index.IsInitialization(reference, config.IsStatic);
                var scope = config.IsField ? OperationIndex.Root(reference) : config.Scope!;
                var conditional = external || reference.IsConditionalWithin(scope);
                var evt = Classify(config, reference, conditional, external);
                if (evt is { } e)
                {
                    config.Events.Add(e);
                }
            }
        }

        config.Events.Sort((a, b) => a.At.Syntax.SpanStart.CompareTo(b.At.Syntax.SpanStart));
    }

    private ConfigEvent? Classify(TrackedConfig config, IOperation reference, bool conditional, bool external)
    {
        var parent = reference.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == child:
                // Re-assigned: either the binding assignment itself, or a second object in the same variable.
                if (Resolve(assignment.Value) != config)
                {
                    config.Ambiguous = true;
                }

                return null;

            case IPropertyReferenceOperation property when property.Instance == child:
                return ClassifyMemberAccess(config, property, conditional, external);

            case IInvocationOperation invocation when invocation.Instance == child:
                return ClassifyInvocation(config, invocation, reference, conditional, external);

            case IArgumentOperation argument:
                return ClassifyArgument(config, argument, reference, external);

            case IReturnOperation:
                config.MayLeave = true;
                return null;

            case ISimpleAssignmentOperation assignment when assignment.Value == child:
                return Resolve(assignment.Target) == config ? null : Escape(config, reference, external);

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return _byHolder.TryGetValue(declarator.Symbol, out var aliased) && aliased == config ? null : Escape(config, reference, external);

            case IForEachLoopOperation loop when loop.Collection.WalkDownConversions() == child.WalkDownConversions():
            case IInterpolationOperation:
            case IBinaryOperation:
            case IIsPatternOperation:
            case IIsTypeOperation:
            case INameOfOperation:
                return null;

            default:
                config.MayLeave = true;
                return ConfigEvent.Unknowable(reference, external);
        }
    }

    private ConfigEvent? ClassifyMemberAccess(TrackedConfig config, IPropertyReferenceOperation property, bool conditional, bool external)
    {
        var parent = property.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == child:
                return Record(config, property, PropertyWrite(assignment, property, assignment.Value, conditional), external);
            case ICompoundAssignmentOperation compound when compound.Target == child:
                return Record(config, property, PropertyWrite(compound, property, value: null, conditional), external);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == child:
                return Record(config, property, PropertyWrite(coalesce, property, coalesce.Value, conditional: true), external);
            case IIncrementOrDecrementOperation increment:
                return Record(config, property, PropertyWrite(increment, property, value: null, conditional), external);
            default:
                return null;
        }
    }

    private ConfigEvent Record(TrackedConfig config, IOperation at, ConfigWrite write, bool external)
    {
        Remember(config, write);
        return ConfigEvent.ForWrite(at, write, external);
    }

    private ConfigEvent? ClassifyInvocation(TrackedConfig config, IInvocationOperation invocation, IOperation reference, bool conditional, bool external)
    {
        var method = invocation.TargetMethod;
        if (IsConfigSet(invocation))
        {
            return Record(config, invocation, Write(invocation, ConfigWriteForm.SetCall, invocation.Arguments[0].Value, invocation.Arguments[1].Value, conditional, IsRegistrySet(invocation)), external);
        }

        if (_symbols.IsKafkaConfigType(method.ContainingType) || _symbols.IsSchemaRegistryConfigType(method.ContainingType))
        {
            return null;
        }

        switch (config.Shape)
        {
            case ConfigShape.Dictionary:
                switch (method.Name)
                {
                    case "Add" or "TryAdd" when invocation.Arguments.Length == 2:
                        return Record(config, invocation, Write(invocation, ConfigWriteForm.DictionaryEntry, invocation.Arguments[0].Value, invocation.Arguments[1].Value, conditional), external);
                    case "Remove" when invocation.Arguments.Length >= 1 && invocation.Arguments[0].Value.TryGetConstantString(out var removed):
                        return ConfigEvent.ForRemove(invocation, LibrdkafkaProperties.Canonical(removed) ?? removed, conditional, external);
                    case "ContainsKey" or "ContainsValue" or "TryGetValue" or "GetEnumerator" or "Equals" or "GetHashCode" or "ToString" or "EnsureCapacity" or "TrimExcess" or "GetValueOrDefault":
                        return null;
                }

                break;
            case ConfigShape.PairList:
                switch (method.Name)
                {
                    case "Add" when invocation.Arguments.Length == 1:
                        return Record(config, invocation, PairWrite(invocation.Arguments[0].Value, invocation, conditional), external);
                    case "Contains" or "IndexOf" or "GetEnumerator" or "ToArray" or "Equals" or "GetHashCode" or "ToString" or "Find" or "Exists" or "ForEach":
                        return null;
                }

                break;
        }

        config.MayLeave = true;
        return ConfigEvent.Unknowable(reference, external);
    }

    private ConfigEvent? ClassifyArgument(TrackedConfig config, IArgumentOperation argument, IOperation reference, bool external)
    {
        switch (argument.Parent)
        {
            case IObjectCreationOperation creation when _builders.Contains(creation):
                return null;
            case IObjectCreationOperation creation when _byOrigin.TryGetValue(creation, out var created):
                // Copied into, or wrapped by, another configuration.
                if (created != config && _symbols.IsKafkaConfigType(creation.Type))
                {
                    config.FeedsKafka = true;
                }

                return null;
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (IsConfigurationBinder(method))
                {
                    return ConfigEvent.Unknowable(reference, external);
                }

                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                {
                    config.MayLeave = true;
                    return ConfigEvent.Unknowable(reference, external);
                }

                if (IsReadOnlyLinq(method))
                {
                    return null;
                }

                break;
        }

        return Escape(config, reference, external);
    }

    /// <summary>
    /// Handed to code we cannot see. While the configuration is still used afterwards, that code may
    /// change any setting before the client is built; as the last use it is a hand-off that keeps
    /// what we saw.
    /// </summary>
    private ConfigEvent? Escape(TrackedConfig config, IOperation reference, bool external)
    {
        config.MayLeave = true;
        if (external)
        {
            return ConfigEvent.Unknowable(reference, external);
        }

        foreach (var holder in config.Holders)
        {
            foreach (var other in _index.ReferencesTo(holder))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (reference.IsBefore(other) && OperationIndex.Root(other) == OperationIndex.Root(reference))
                {
                    return ConfigEvent.Unknowable(reference, external);
                }
            }
        }

        return null;
    }

    private static bool IsConfigurationBinder(IMethodSymbol method)
    {
        var ns = method.ContainingNamespace?.ToDisplayString();
        return ns is not null && ns.StartsWith("Microsoft.Extensions.Configuration", System.StringComparison.Ordinal);
    }

    private static bool IsReadOnlyLinq(IMethodSymbol method)
        => method.IsExtensionMethod && method.ContainingNamespace?.ToDisplayString() == "System.Linq";

    // ---- Effective settings ----------------------------------------------------------------------

    private ImmutableArray<ConfigContext> BuildContexts()
    {
        var contexts = ImmutableArray.CreateBuilder<ConfigContext>();
        var consumed = new HashSet<TrackedConfig>();
        var copySources = new HashSet<TrackedConfig>();
        foreach (var config in _configs.Distinct())
        {
            if (config.CopySource is { } source && Resolve(source) is { } copied && copied != config)
            {
                copySources.Add(copied);
            }
        }

        foreach (var builder in _builders)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var config = Resolve(builder.Arguments[0].Value);
            if (config is null)
            {
                contexts.Add(new ConfigContext(BuilderRole(builder.Type), ConfigState.Invisible(), origin: null, builder));
                continue;
            }

            consumed.Add(config);
            config.FeedsKafka = true;
            var state = StateAt(config, builder, depth: 0);
            contexts.Add(new ConfigContext(BuilderRole(builder.Type), state, config.IsVisible ? config.PrimaryOrigin : null, builder));
        }

        foreach (var config in _configs.Distinct())
        {
            // A configuration no builder in view consumes is reported only when it is handed on
            // (returned, passed or stored elsewhere); one that is only inspected never reaches a client.
            if (!consumed.Contains(config) && config.FeedsKafka && !config.IsSchemaRegistry && (config.MayLeave || config.Holders.Count == 0) && !OnlyCopied(config, copySources))
            {
                contexts.Add(new ConfigContext(TypeRole(config.KafkaType), StateAt(config, at: null, depth: 0), config.IsVisible ? config.PrimaryOrigin : null, builder: null));
            }
        }

        return contexts.ToImmutable();
    }

    /// <summary>
    /// A configuration whose only way out is being copied into other configurations (a shared
    /// <c>ClientConfig</c> template): no client sees it as it is, only the copies, which carry its
    /// settings. A holder-less copy source is the copy constructor's argument itself.
    /// </summary>
    private static bool OnlyCopied(TrackedConfig config, HashSet<TrackedConfig> copySources)
        => copySources.Contains(config) && !config.MayLeave;

    private ConfigState StateAt(TrackedConfig config, IOperation? at, int depth)
    {
        if (!config.IsVisible)
        {
            return ConfigState.Invisible();
        }

        ConfigState state;
        if (config.CopySource is { } source)
        {
            var copied = depth < MaxCopyDepth ? Resolve(source) : null;
            state = copied is null || copied == config ? ConfigState.Invisible() : StateAt(copied, config.Origin, depth + 1).Copy();
        }
        else
        {
            state = config.StartsInvisible ? ConfigState.Invisible() : ConfigState.Visible();
        }

        foreach (var write in config.InitialWrites)
        {
            state.Apply(write);
        }

        foreach (var evt in config.Events)
        {
            if (evt.External || (at is not null && !config.IsField && !evt.At.IsBefore(at)))
            {
                continue;
            }

            evt.ApplyTo(state);
        }

        foreach (var evt in config.Events)
        {
            if (evt.External)
            {
                evt.ApplyAsUnknownTo(state);
            }
        }

        return state;
    }

    private ClientRole BuilderRole(ITypeSymbol? type)
    {
        if (_symbols.IsProducerBuilder(type))
        {
            return ClientRole.Producer;
        }

        if (_symbols.IsConsumerBuilder(type))
        {
            return ClientRole.Consumer;
        }

        return SymbolEqualityComparer.Default.Equals(type, _symbols.AdminClientBuilder) ? ClientRole.Admin : ClientRole.Unknown;
    }

    private ClientRole TypeRole(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, _symbols.ProducerConfig))
            {
                return ClientRole.Producer;
            }

            if (SymbolEqualityComparer.Default.Equals(current, _symbols.ConsumerConfig))
            {
                return ClientRole.Consumer;
            }

            if (SymbolEqualityComparer.Default.Equals(current, _symbols.AdminClientConfig))
            {
                return ClientRole.Admin;
            }
        }

        return ClientRole.Unknown;
    }

    private enum ConfigShape
    {
        Typed,
        Dictionary,
        PairList,
    }

    private sealed class TrackedConfig
    {
        public TrackedConfig(IOperation origin, ConfigShape shape, ITypeSymbol type)
        {
            Origin = origin;
            PrimaryOrigin = origin;
            Shape = shape;
            KafkaType = type;
            FeedsKafka = shape == ConfigShape.Typed;
        }

        public IOperation Origin { get; }

        /// <summary>The typed configuration creation when a dictionary is wrapped by one; otherwise the origin.</summary>
        public IOperation PrimaryOrigin { get; set; }

        public ConfigShape Shape { get; }

        public ITypeSymbol? KafkaType { get; set; }

        /// <summary>Reaches a builder or a Kafka config class: a dictionary that never does is not Kafka's.</summary>
        public bool FeedsKafka { get; set; }

        /// <summary>Returned, passed to other code or stored where the model cannot follow it.</summary>
        public bool MayLeave { get; set; }

        public IOperation? Scope { get; set; }

        public IOperation? CopySource { get; set; }

        public bool StartsInvisible { get; set; }

        public bool Ambiguous { get; set; }

        public bool IsField { get; set; }

        public bool IsStatic { get; set; }

        /// <summary>A Confluent.SchemaRegistry <c>SchemaRegistryConfig</c>: never a client configuration.</summary>
        public bool IsSchemaRegistry { get; set; }


        public bool IsVisible => !Ambiguous;

        public List<ISymbol> Holders { get; } = new();

        public List<ConfigWrite> InitialWrites { get; } = new();

        public List<ConfigEvent> Events { get; } = new();
    }
}
