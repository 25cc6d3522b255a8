using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Tests.Verifiers;

/// <summary>The <c>key = value</c> pairs of an .editorconfig, applied to every file (enough for tests that load a sample).</summary>
internal sealed class EditorConfigOptions : AnalyzerConfigOptionsProvider
{
    private readonly Options _options;

    private EditorConfigOptions(ImmutableDictionary<string, string> values) => _options = new Options(values);

    public override AnalyzerConfigOptions GlobalOptions => _options;

    public static EditorConfigOptions FromFile(string path)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] is '#' or ';' or '[' || equals < 0)
            {
                continue;
            }

            values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return new EditorConfigOptions(values.ToImmutable());
    }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
