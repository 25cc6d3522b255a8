using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>The <c>kafka_analyzers.*</c> .editorconfig options, parsed once per syntax tree.</summary>
internal sealed class KafkaAnalyzerOptions
{
    public const string LossyTopicsKey = "kafka_analyzers.lossy_topics";
    public const string DeadLetterMethodsKey = "kafka_analyzers.dead_letter_methods";

    private static readonly KafkaAnalyzerOptions Empty = new(ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);

    private KafkaAnalyzerOptions(ImmutableArray<string> lossyTopicPatterns, ImmutableArray<string> deadLetterMethods)
    {
        LossyTopicPatterns = lossyTopicPatterns;
        DeadLetterMethods = deadLetterMethods;
    }

    /// <summary>Globs (<c>*</c>, <c>?</c>) of topics where acks 0/1 and no idempotence are accepted (KAFKA001/002).</summary>
    public ImmutableArray<string> LossyTopicPatterns { get; }

    /// <summary>Fully qualified methods that count as dead-lettering (KAFKA103).</summary>
    public ImmutableArray<string> DeadLetterMethods { get; }

    public static KafkaAnalyzerOptions For(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        var lossy = config.TryGetValue(LossyTopicsKey, out var lossyValue) ? List(lossyValue) : ImmutableArray<string>.Empty;
        var deadLetter = config.TryGetValue(DeadLetterMethodsKey, out var deadLetterValue) ? List(deadLetterValue) : ImmutableArray<string>.Empty;
        return lossy.IsEmpty && deadLetter.IsEmpty ? Empty : new KafkaAnalyzerOptions(lossy, deadLetter);
    }

    public bool IsLossyTopic(string topic) => LossyTopicPatterns.Any(pattern => Glob(pattern, 0, topic, 0));

    private static ImmutableArray<string> List(string value)
        => value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .ToImmutableArray();

    /// <summary>Kafka topic names are case-sensitive, and so is the match.</summary>
    private static bool Glob(string pattern, int p, string text, int t)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                for (var rest = t; rest <= text.Length; rest++)
                {
                    if (Glob(pattern, p + 1, text, rest))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (t >= text.Length || (c != '?' && c != text[t]))
            {
                return false;
            }

            p++;
            t++;
        }

        return t == text.Length;
    }
}
