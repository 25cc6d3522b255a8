using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Model.Flow;

/// <summary>Compiles a source and hands out the operation trees of its members, for questions asked of Model/Flow directly.</summary>
internal sealed class FlowHarness
{
    private readonly Dictionary<string, IOperation> _bodies = new();

    private FlowHarness(CSharpCompilation compilation, OperationIndex index)
    {
        Symbols = new FlowSymbols(compilation);
        Index = index;
    }

    public FlowSymbols Symbols { get; }

    public OperationIndex Index { get; }

    public static FlowHarness Create(string source)
    {
        var compilation = ModelHarness.Compile(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var blocks = ImmutableArray.CreateBuilder<(ISymbol, IOperation)>();
        var bodies = new Dictionary<string, IOperation>();
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
        {
            if (model.GetOperation(method) is not { } operation)
            {
                continue;
            }

            var symbol = model.GetDeclaredSymbol(method)!;
            blocks.Add((symbol, operation));
            bodies[symbol.Name] = operation;
        }

        var type = (INamedTypeSymbol)model.GetDeclaredSymbol(tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Last())!;
        var harness = new FlowHarness(compilation, OperationIndex.Build(type, blocks.ToImmutable(), CancellationToken.None));
        foreach (var pair in bodies)
        {
            harness._bodies[pair.Key] = pair.Value;
        }

        return harness;
    }

    public IOperation Body(string method) => _bodies[method];

    /// <summary>Calls to methods named <paramref name="name"/> in <paramref name="method"/>, in source order (lambdas and local functions included).</summary>
    public IReadOnlyList<IInvocationOperation> Calls(string method, string name)
        => Body(method).Descendants().OfType<IInvocationOperation>()
            .Where(i => i.TargetMethod.Name == name && !i.IsImplicit)
            .OrderBy(i => i.Syntax.SpanStart)
            .ToList();

    public IReadOnlyList<IOperation> Usings(string method)
        => Body(method).Descendants().Where(o => o is IUsingOperation or IUsingDeclarationOperation).OrderBy(o => o.Syntax.SpanStart).ToList();
}
