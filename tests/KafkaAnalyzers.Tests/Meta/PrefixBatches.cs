using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.Tests.Meta;

/// <summary>
/// Puts many half-typed sources into one compilation (analysing them one compilation each costs twice
/// as much). Each source's declarations move into a namespace of their own so that equal type names of
/// different sources do not merge into one type; a source with top-level statements stays alone.
/// </summary>
internal static class PrefixBatches
{
    public static IEnumerable<IReadOnlyList<(SyntaxTree Tree, string Origin)>> Create(IEnumerable<(string Text, string Origin)> prefixes, int batchSize)
    {
        var batch = new List<(SyntaxTree, string)>();
        var index = 0;
        foreach (var (text, origin) in prefixes)
        {
            var tree = AnalysisRunner.Parse(text, $"/batch/{index}.cs");
            var root = (CompilationUnitSyntax)tree.GetRoot();
            if (root.Members.Any(m => m is GlobalStatementSyntax))
            {
                yield return new[] { (tree, origin) };
                continue;
            }

            batch.Add((tree.WithRootAndOptions(Isolate(root, index), tree.Options), origin));
            index++;
            if (batch.Count == batchSize)
            {
                yield return batch;
                batch = new List<(SyntaxTree, string)>();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static CompilationUnitSyntax Isolate(CompilationUnitSyntax root, int index)
    {
        var prefix = SyntaxFactory.IdentifierName("Prefix" + index);
        var members = new List<MemberDeclarationSyntax>();
        var loose = new List<MemberDeclarationSyntax>();
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case FileScopedNamespaceDeclarationSyntax fileScoped:
                    members.Add(SyntaxFactory.NamespaceDeclaration(SyntaxFactory.QualifiedName(prefix, (SimpleNameSyntax)Rightmost(fileScoped.Name)))
                        .WithExterns(fileScoped.Externs)
                        .WithUsings(fileScoped.Usings)
                        .WithMembers(fileScoped.Members));
                    break;
                case NamespaceDeclarationSyntax block:
                    members.Add(block.WithName(SyntaxFactory.QualifiedName(prefix, (SimpleNameSyntax)Rightmost(block.Name))));
                    break;
                default:
                    loose.Add(member);
                    break;
            }
        }

        if (loose.Count > 0)
        {
            members.Insert(0, SyntaxFactory.NamespaceDeclaration(prefix).WithMembers(SyntaxFactory.List(loose)));
        }

        return root.WithMembers(SyntaxFactory.List(members));
    }

    private static NameSyntax Rightmost(NameSyntax name) => name is QualifiedNameSyntax qualified ? qualified.Right : name;
}
