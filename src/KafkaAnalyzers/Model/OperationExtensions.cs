using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

internal static class OperationExtensions
{
    public static IOperation WalkDownConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The parent, skipping implicit and explicit conversions and parentheses around <paramref name="operation"/>.</summary>
    public static IOperation? ParentIgnoringConversions(this IOperation operation, out IOperation child)
    {
        child = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>
    /// True when <paramref name="operation"/> runs only on some executions of <paramref name="scope"/>:
    /// inside a branch, loop body, switch section, catch, lambda or local function, the right side of
    /// &amp;&amp;, ||, ?? or ?. — or when it is not inside <paramref name="scope"/> at all.
    /// </summary>
    public static bool IsConditionalWithin(this IOperation operation, IOperation scope)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent == scope)
            {
                return false;
            }

            if (child.IsBranchOf(parent)
                || parent is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation
                || (parent is IConditionalAccessOperation access && child == access.WhenNotNull))
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="parent"/> chooses whether <paramref name="child"/> runs: a branch of an
    /// <c>if</c> or <c>?:</c>, a switch section or arm, a catch clause, the right side of
    /// <c>&amp;&amp;</c>, <c>||</c> or <c>??</c>.
    /// </summary>
    public static bool IsBranchOf(this IOperation child, IOperation parent)
        => parent switch
        {
            IConditionalOperation conditional => child != conditional.Condition,
            ISwitchCaseOperation or ISwitchExpressionArmOperation or ICatchClauseOperation => true,
            ICoalesceOperation coalesce => child == coalesce.WhenNull,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } binary => child == binary.RightOperand,
            _ => false,
        };

    /// <summary>The statement list (block, using, switch section, root) that scopes a declaration at <paramref name="operation"/>.</summary>
    public static IOperation EnclosingScope(this IOperation operation)
    {
        var current = operation;
        for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            if (parent is IBlockOperation or IUsingOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or ISwitchCaseOperation)
            {
                return parent;
            }
        }

        return current;
    }

    /// <summary>The lambda or local function directly containing the operation, or null for the member body.</summary>
    public static IOperation? EnclosingFunction(this IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }
        }

        return null;
    }

    /// <summary>The call as written: for <c>x?.M()</c> the whole conditional access, not just <c>.M()</c>.</summary>
    public static SyntaxNode WholeCallSyntax(this IInvocationOperation invocation)
        => invocation.Instance is IConditionalAccessInstanceOperation && invocation.Parent is IConditionalAccessOperation access
            ? access.Syntax
            : invocation.Syntax;

    public static bool IsBefore(this IOperation operation, IOperation other)
        => operation.Syntax.SyntaxTree == other.Syntax.SyntaxTree && operation.Syntax.SpanStart < other.Syntax.SpanStart;

    /// <summary>
    /// A constant of a numeric type, <c>char</c> included (C# converts it to a number implicitly), as a double.
    /// False for anything else: a string or null where broken code puts one (never <c>Convert.ToDouble</c>
    /// on the constant, which throws for a char or a non-numeric string).
    /// </summary>
    public static bool TryGetConstantNumber(this IOperation? operation, out double value)
    {
        value = operation?.ConstantValue is { HasValue: true, Value: { } constant } ? constant switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            decimal m => (double)m,
            short s => s,
            ushort us => us,
            byte b => b,
            sbyte sb => sb,
            uint ui => ui,
            ulong ul => ul,
            char c => c,
            _ => double.NaN,
        } : double.NaN;
        return !double.IsNaN(value);
    }

    public static bool TryGetConstantString(this IOperation? operation, out string value)
    {
        value = string.Empty;
        if (operation?.WalkDownConversions().ConstantValue is { HasValue: true, Value: string s })
        {
            value = s;
            return true;
        }

        return false;
    }
}
