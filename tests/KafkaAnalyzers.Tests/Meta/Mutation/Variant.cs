using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>How a variant was made from a corpus source.</summary>
internal enum MutationKind
{
    /// <summary>The source as the tests, pages and samples have it.</summary>
    Original,

    /// <summary>Cut off after a token: the user is typing at the end of the file.</summary>
    TruncatedAtToken,

    /// <summary>Cut off inside a token: half an identifier or literal typed.</summary>
    TruncatedMidToken,

    /// <summary>The rest of one line removed from a token on, the rest of the file kept: typing in the middle.</summary>
    TypingInPlace,

    DeletedTokens,

    DuplicatedTokens,

    /// <summary>Literals (and enum values) replaced with edge values: null, empty, negative, huge, NaN, other types.</summary>
    SwappedLiterals,

    /// <summary>A line moved or copied elsewhere: a write after Build(), a use before the declaration.</summary>
    MovedLines,

    /// <summary>Compiled without Confluent.Kafka: the analyzers must register nothing.</summary>
    NoKafkaReference,

    /// <summary>Without Confluent.Kafka but with some of its type names declared in source, in other shapes.</summary>
    ShadowedKafkaTypes,

    /// <summary>A generic name given one type argument too few or too many, or none.</summary>
    WrongGenericArity,

    MissingUsings,

    /// <summary>A method body moved into top-level statements of a program.</summary>
    TopLevelStatements,

    /// <summary>Each type's members split over two partial declarations in two files.</summary>
    PartialClassesSplit,

    /// <summary>As <see cref="PartialClassesSplit"/>, with the second part marked auto-generated.</summary>
    GeneratedPartialFile,

    /// <summary>A method body repeated many times (each copy in its own block).</summary>
    VeryLongMethod,

    /// <summary>A method body wrapped in dozens of nested lambdas.</summary>
    DeeplyNestedLambdas,

    /// <summary>Lines wrapped in <c>#if</c> / <c>#else</c> blocks, active or not.</summary>
    ConditionalDirectives,
}

internal sealed record VariantFile(string Path, string Text);

/// <summary>
/// One compilation's worth of input: the files, whether Confluent.Kafka is referenced, the output kind,
/// whether nullable analysis is on, and the .editorconfig options every file gets.
/// </summary>
internal sealed record Variant(
    string Origin,
    ImmutableArray<MutationKind> Kinds,
    ImmutableArray<VariantFile> Files,
    bool ReferenceKafka,
    OutputKind OutputKind,
    bool Nullable,
    string OptionsName,
    ImmutableDictionary<string, string> Options)
{
    public bool IsMutated => Kinds.Any(k => k != MutationKind.Original);

    public string Describe() => $"{Origin} [{string.Join(" + ", Kinds)}{(OptionsName.Length > 0 ? $"; options {OptionsName}" : string.Empty)}]";
}
