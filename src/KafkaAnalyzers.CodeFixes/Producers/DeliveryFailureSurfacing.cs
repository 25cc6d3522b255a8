using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaAnalyzers.CodeFixes.Producers;

/// <summary>
/// How generated code makes a failure visible (KAFKA004, KAFKA006, KAFKA007 fixes): to an <c>ILogger</c>
/// in scope at Error level when there is one; otherwise by capturing the failure in a field of the type
/// so that the next call throws it. Generated code never drops the failure.
/// </summary>
internal static class DeliveryFailureSurfacing
{
    public const string LoggerInterface = "Microsoft.Extensions.Logging.ILogger";
    public const string LoggingNamespace = "Microsoft.Extensions.Logging";

    /// <summary>
    /// An expression for an <c>ILogger</c> readable at <paramref name="position"/>: a parameter or local
    /// declared before it, or a field or property of the type (static ones in a static context).
    /// </summary>
    public static string? FindLogger(SemanticModel model, int position)
    {
        var logger = model.Compilation.GetTypeByMetadataName(LoggerInterface);
        if (logger is null)
        {
            return null;
        }

        var staticContext = IsStaticContext(model, position);
        ISymbol? best = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            var type = symbol switch
            {
                ILocalSymbol local when DeclaredBefore(local, position) => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field when !staticContext || field.IsStatic => field.Type,
                IPropertySymbol { IsIndexer: false, GetMethod: not null } property when !staticContext || property.IsStatic => property.Type,
                _ => null,
            };
            if (type is null || !(SymbolEqualityComparer.Default.Equals(type, logger) || type.AllInterfaces.Contains(logger, SymbolEqualityComparer.Default)))
            {
                continue;
            }

            // Prefer what is closest: locals and parameters over members.
            if (best is null || Rank(symbol) < Rank(best))
            {
                best = symbol;
            }
        }

        return best?.Name;
    }

    private static int Rank(ISymbol symbol) => symbol switch
    {
        ILocalSymbol => 0,
        IParameterSymbol => 1,
        IFieldSymbol => 2,
        _ => 3,
    };

    private static bool DeclaredBefore(ILocalSymbol local, int position)
        => local.DeclaringSyntaxReferences.All(r => r.Span.End <= position);

    public static bool IsStaticContext(SemanticModel model, int position)
    {
        var member = model.GetEnclosingSymbol(position);
        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } function)
        {
            if (function.IsStatic)
            {
                return true;
            }

            member = function.ContainingSymbol;
        }

        return member?.IsStatic ?? true;
    }

    /// <summary>True when <c>logger.LogError(...)</c> binds at the position (the extension's namespace is imported).</summary>
    public static bool LogErrorInScope(SemanticModel model, int position)
    {
        var logger = model.Compilation.GetTypeByMetadataName(LoggerInterface);
        return logger is not null && model.LookupSymbols(position, logger, "LogError", includeReducedExtensionMethods: true).Length > 0;
    }

    /// <summary>A name not yet used at the position (<c>report</c>, <c>report2</c>, ...).</summary>
    public static string UniqueName(SemanticModel model, int position, string name)
    {
        var candidate = name;
        for (var i = 2; model.LookupSymbols(position, name: candidate).Length > 0; i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>The type's field for captured delivery failures: an existing <c>Exception</c> field of that name is reused.</summary>
    public static string FailureFieldName(INamedTypeSymbol type)
    {
        var underscore = !type.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsImplicitlyDeclared && f.DeclaredAccessibility == Accessibility.Private && !f.IsConst && !f.IsStatic)
                         || type.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsImplicitlyDeclared && f.Name.StartsWith("_", System.StringComparison.Ordinal));
        var baseName = underscore ? "_deliveryFailure" : "deliveryFailure";
        var name = baseName;
        for (var i = 2; type.GetMembers(name).Any(m => !IsFailureField(m)); i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>A field this fix generated before: reuse it.</summary>
    public static bool HasFailureField(INamedTypeSymbol type, string name)
        => type.GetMembers(name).Any(IsFailureField);

    /// <summary>
    /// The capture needs a field, and there is one place to add it: the type is declared once. A partial type
    /// declared in several parts gets no capture fix (unless one part already has the field): Fix All in a
    /// project fixes each document on its own and would add the field to every part (CS0102/CS0229; found by the
    /// real-code run on confluent-kafka-dotnet's integration tests, one partial class across a hundred files).
    /// </summary>
    public static bool CanCaptureIn(INamedTypeSymbol type, string name)
        => HasFailureField(type, name) || type.DeclaringSyntaxReferences.Length == 1;

    private static bool IsFailureField(ISymbol member)
        => member is IFieldSymbol { Type: { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary><c>private Exception? _deliveryFailure;</c> (static when the code that uses it is).</summary>
    public static MemberDeclarationSyntax FailureField(SemanticModel model, int position, string name, bool isStatic)
    {
        var exception = TypeName(model, position, "System.Exception");
        var nullable = model.GetNullableContext(position).AnnotationsEnabled() ? "?" : string.Empty;
        var modifiers = isStatic ? "private static" : "private";
        return SyntaxFactory.ParseMemberDeclaration($"{modifiers} {exception}{nullable} {name};\n")!;
    }

    /// <summary>The minimal name of a type at a position (<c>Interlocked</c> or <c>System.Threading.Interlocked</c>).</summary>
    public static string TypeName(SemanticModel model, int position, string metadataName)
    {
        var type = model.Compilation.GetTypeByMetadataName(metadataName);
        return type is null ? "global::" + metadataName : type.ToMinimalDisplayString(model, position);
    }

    /// <summary>Statements that surface a failed delivery report named <paramref name="report"/>.</summary>
    public static string SurfaceReport(SemanticModel model, int position, string report, string? logger, string? field, ITypeSymbol key, ITypeSymbol value)
    {
        if (logger is not null)
        {
            return $"{logger}.LogError(\"Kafka delivery to {{Topic}} failed: {{Reason}}\", {report}.Topic, {report}.Error.Reason);";
        }

        var interlocked = TypeName(model, position, "System.Threading.Interlocked");
        var produceException = model.Compilation.GetTypeByMetadataName("Confluent.Kafka.ProduceException`2");
        var exceptionType = produceException is null
            ? "global::Confluent.Kafka.ProduceException"
            : produceException.Construct(key, value).ToMinimalDisplayString(model, position);
        return $"{interlocked}.CompareExchange(ref {field}, new {exceptionType}({report}.Error, {report}), null);";
    }

    /// <summary>The check that throws a captured failure at the next call (and clears it).</summary>
    public static string ThrowIfCaptured(SemanticModel model, int position, string field)
    {
        var interlocked = TypeName(model, position, "System.Threading.Interlocked");
        var invalid = TypeName(model, position, "System.InvalidOperationException");
        var exception = TypeName(model, position, "System.Exception");
        // Not "deliveryFailure": a field this fix adds in the same edit may carry that name (a type whose
        // fields have no underscore), and the model at this position does not see it yet.
        var local = UniqueName(model, position, "failure");
        // A switch, not `if (... is Exception failure)`: a pattern variable of an if condition belongs to the
        // enclosing block, so Fix All on two calls in one block would declare it twice (CS0128); a case's
        // variable belongs to its switch section.
        return $$"""
            switch ({{interlocked}}.Exchange(ref {{field}}, null))
            {
                case {{exception}} {{local}}:
                    throw new {{invalid}}("A message produced earlier was not delivered to Kafka; see the inner exception.", {{local}});
            }
            """;
    }

    /// <summary>A generated statement, left to the formatter (elastic trivia, formatter annotation).</summary>
    public static StatementSyntax Statement(string text)
        => Elastic(SyntaxFactory.ParseStatement(text));

    /// <summary>A generated statement followed by a blank line (a block that the next statement should not touch).</summary>
    public static StatementSyntax StatementThenBlankLine(string text, string newLine)
    {
        var statement = Statement(text);
        return statement.WithTrailingTrivia(statement.GetTrailingTrivia().Add(SyntaxFactory.ElasticEndOfLine(newLine)).Add(SyntaxFactory.EndOfLine(newLine)));
    }

    /// <summary>Replaces the whitespace of parsed text with elastic trivia, so that the formatter lays it out where it lands.</summary>
    public static T Elastic<T>(T node)
        where T : SyntaxNode
        => node.ReplaceTrivia(
                node.DescendantTrivia(descendIntoTrivia: false),
                (original, _) => original.Kind() switch
                {
                    SyntaxKind.EndOfLineTrivia => SyntaxFactory.ElasticEndOfLine(original.ToString()),
                    SyntaxKind.WhitespaceTrivia => SyntaxFactory.ElasticSpace,
                    _ => original,
                })
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);

    /// <summary>The line ending the document uses.</summary>
    public static string NewLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return "\n";
    }
}
