using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// One walk over every operation block of a type: the Kafka-relevant operations and every reference
/// to a local or field, so the configuration and instance models never walk the code again.
/// </summary>
internal sealed class OperationIndex
{
    private readonly Dictionary<ISymbol, List<IOperation>> _references = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, ISymbol> _ownerByRoot = new();
    private readonly Dictionary<ISymbol, IOperation> _rootByOwner = new(SymbolEqualityComparer.Default);

    private OperationIndex(INamedTypeSymbol type) => Type = type;

    public INamedTypeSymbol Type { get; }

    public List<IObjectCreationOperation> ObjectCreations { get; } = new();

    public List<IArrayCreationOperation> ArrayCreations { get; } = new();

    public List<IInvocationOperation> Invocations { get; } = new();

    public List<IOperation> PropertyWrites { get; } = new();

    public List<IVariableDeclaratorOperation> Declarators { get; } = new();

    /// <summary>Every function of the type, in source order: each member body or initializer, then the lambdas and local functions inside it, with their symbols.</summary>
    public List<(IOperation Body, ISymbol? Symbol)> Functions { get; } = new();

    public static OperationIndex Build(INamedTypeSymbol type, ImmutableArray<(ISymbol Owner, IOperation Root)> blocks, CancellationToken cancellationToken)
    {
        var index = new OperationIndex(type);

        // Blocks arrive in whatever order concurrent analysis finished them; source order keeps every
        // list below (and so the model's contexts) deterministic.
        var ordered = blocks
            .OrderBy(b => b.Root.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(b => b.Root.Syntax.SpanStart);
        foreach (var (owner, block) in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A method's blocks hang under an IMethodBodyOperation / IConstructorBodyOperation that is
            // created on demand; index from that top once, so body and initializer blocks share it.
            var root = Root(block);
            if (index._ownerByRoot.ContainsKey(root))
            {
                continue;
            }

            index._ownerByRoot[root] = owner;
            if (!index._rootByOwner.ContainsKey(owner))
            {
                index._rootByOwner[owner] = root;
            }

            index.Functions.Add((root, owner));
            index.Add(root);
            foreach (var operation in root.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                index.Add(operation);
            }
        }

        return index;
    }

    /// <summary>Each indexed operation tree (member body, initializer) with the member it belongs to, in source order.</summary>
    public IEnumerable<(ISymbol Owner, IOperation Root)> Roots => _ownerByRoot.Select(pair => (pair.Value, pair.Key));

    public IReadOnlyList<IOperation> ReferencesTo(ISymbol symbol)
        => _references.TryGetValue(symbol, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>The member whose body (or initializer) contains the operation.</summary>
    public ISymbol? OwnerOf(IOperation operation)
    {
        var root = Root(operation);
        return _ownerByRoot.TryGetValue(root, out var owner) ? owner : null;
    }

    /// <summary>The body (or initializer) of a member of this type, e.g. a method named as a delivery handler.</summary>
    public IOperation? BodyOf(ISymbol member)
        => _rootByOwner.TryGetValue(member.OriginalDefinition, out var root) ? root : null;

    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>True for code that runs while the object is constructed: constructors and field initializers.</summary>
    public bool IsInitialization(IOperation operation, bool isStatic)
    {
        switch (OwnerOf(operation))
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor } ctor:
                return !isStatic && !ctor.IsStatic;
            case IMethodSymbol { MethodKind: MethodKind.StaticConstructor }:
                return isStatic;
            case IFieldSymbol field:
                return field.IsStatic == isStatic;
            case IPropertySymbol property:
                return property.IsStatic == isStatic;
            default:
                return false;
        }
    }

    private void Add(IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                Reference(local.Local, operation);
                break;
            case IFieldReferenceOperation field:
                Reference(field.Field.OriginalDefinition, operation);
                break;
            case IObjectCreationOperation creation:
                ObjectCreations.Add(creation);
                break;
            case IArrayCreationOperation array:
                ArrayCreations.Add(array);
                break;
            case IInvocationOperation invocation:
                Invocations.Add(invocation);
                break;
            case IVariableDeclaratorOperation declarator:
                Declarators.Add(declarator);
                break;
            case IAnonymousFunctionOperation lambda:
                Functions.Add((lambda, lambda.Symbol));
                break;
            case ILocalFunctionOperation local:
                Functions.Add((local, local.Symbol));
                break;
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation }:
            case ICompoundAssignmentOperation { Target: IPropertyReferenceOperation }:
            case ICoalesceAssignmentOperation { Target: IPropertyReferenceOperation }:
                PropertyWrites.Add(operation);
                break;
        }
    }

    private void Reference(ISymbol symbol, IOperation operation)
    {
        if (!_references.TryGetValue(symbol, out var list))
        {
            list = new List<IOperation>();
            _references[symbol] = list;
        }

        list.Add(operation);
    }
}
