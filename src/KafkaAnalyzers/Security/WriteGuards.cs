using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Security;

/// <summary>
/// Whether a configuration write runs only under a condition of the code around it — an <c>if</c>
/// (e.g. <c>env.IsDevelopment()</c>), a <c>?:</c>, a <c>switch</c>, a <c>catch</c>, the right side of
/// <c>&amp;&amp;</c>/<c>||</c>/<c>??</c> — or inside an <c>#if</c> region. Such writes are deliberate,
/// gated escape hatches; an unconditional one ships to every environment. Unlike
/// <c>ConfigWrite.IsConditional</c> this looks only within the write's own method, lambda or local
/// function, so a write in a DI registration lambda or a configuration helper counts as unconditional.
/// </summary>
internal static class WriteGuards
{
    public static bool IsGuarded(IOperation write) => HasGuardingCondition(write) || InsidePreprocessorCondition(write.Syntax);

    private static bool HasGuardingCondition(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (child.IsBranchOf(parent))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InsidePreprocessorCondition(SyntaxNode node)
    {
        var depth = 0;
        var root = node.SyntaxTree.GetRoot();
        for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < node.SpanStart; directive = directive.GetNextDirective())
        {
            if (directive.IsKind(SyntaxKind.IfDirectiveTrivia))
            {
                depth++;
            }
            else if (directive.IsKind(SyntaxKind.EndIfDirectiveTrivia) && depth > 0)
            {
                depth--;
            }
        }

        return depth > 0;
    }
}
