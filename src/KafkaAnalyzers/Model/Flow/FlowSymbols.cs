using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The BCL symbols the flow questions need (tasks, cancellation, expression trees), resolved once per
/// compilation alongside <see cref="KafkaSymbols"/>. Any of them may be missing in an odd compilation;
/// every question then answers "unknown", never throws.
/// </summary>
internal sealed class FlowSymbols
{
    public FlowSymbols(Compilation compilation)
    {
#pragma warning disable RS0030 // resolved once per compilation, from KafkaSymbols
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskContinuationOptions = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskContinuationOptions");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        LambdaExpression = compilation.GetTypeByMetadataName("System.Linq.Expressions.LambdaExpression");
#pragma warning restore RS0030
    }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskContinuationOptions { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? OperationCanceledException { get; }

    public INamedTypeSymbol? LambdaExpression { get; }

    /// <summary><c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c> or a class derived from <c>Task</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition, ValueTask) || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT))
        {
            return true;
        }

        return DerivesFrom(named, Task);
    }

    public bool IsCancellationToken(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    /// <summary>True when a catch of <paramref name="caught"/> certainly catches an <c>OperationCanceledException</c>.</summary>
    public bool CatchesCancellation(ITypeSymbol? caught)
        => caught is null
           || caught.SpecialType == SpecialType.System_Object
           || (OperationCanceledException is not null && DerivesFrom(OperationCanceledException, caught));

    /// <summary>True when a catch of <paramref name="caught"/> may catch some cancellations (e.g. <c>TaskCanceledException</c>).</summary>
    public bool MayCatchCancellation(ITypeSymbol? caught)
        => CatchesCancellation(caught) || (OperationCanceledException is not null && DerivesFrom(caught, OperationCanceledException));

    public bool IsExpressionTree(ITypeSymbol? type) => LambdaExpression is not null && DerivesFrom(type, LambdaExpression);

    public static bool DerivesFrom(ITypeSymbol? type, ITypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }
}
