using System.Globalization;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// How much the mutation harness does. CI runs a fixed seed and a bounded count; a local run sets
/// <c>KAFKA_ANALYZERS_MUTATIONS=long</c> for many more (and deeper) variants, and may pick the seed
/// (<c>KAFKA_ANALYZERS_MUTATION_SEED</c>) and the number of mutants (<c>KAFKA_ANALYZERS_MUTATION_COUNT</c>).
/// </summary>
internal sealed record HarnessSettings(
    string Mode,
    int Seed,
    int Mutants,
    int MaxStackedMutations,
    int LongMethodCopies,
    int LongMethodFiller,
    int LambdaDepth,
    TimeSpan VariantTimeout,
    int ProgressEvery)
{
    public const string ModeVariable = "KAFKA_ANALYZERS_MUTATIONS";
    public const string SeedVariable = "KAFKA_ANALYZERS_MUTATION_SEED";
    public const string CountVariable = "KAFKA_ANALYZERS_MUTATION_COUNT";

    /// <summary>The seed CI always uses, so a failure in CI is the same failure on every machine.</summary>
    public const int CiSeed = 20261203;

    public static readonly HarnessSettings Ci = new("ci", CiSeed, Mutants: 1800, MaxStackedMutations: 2, LongMethodCopies: 3, LongMethodFiller: 200, LambdaDepth: 12, VariantTimeout: TimeSpan.FromSeconds(60), ProgressEvery: 0);

    /// <summary>
    /// Ten times CI's mutants, up to three mutations stacked, methods three times longer and lambdas twice
    /// as deep, sized to finish within the hour on a shared 2-core machine. (40,000 mutants with methods of
    /// 4,000 filler lines never finished there: stopped after 92 minutes.) A progress line every 1,000
    /// variants keeps the counts of a run that is stopped.
    /// </summary>
    public static readonly HarnessSettings Long = new("long", CiSeed + 1, Mutants: 18000, MaxStackedMutations: 3, LongMethodCopies: 6, LongMethodFiller: 600, LambdaDepth: 24, VariantTimeout: TimeSpan.FromSeconds(120), ProgressEvery: 1000);

    public bool IsCi => Mode == "ci";

    public static HarnessSettings FromEnvironment()
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable);
        var settings = string.Equals(mode, "long", StringComparison.OrdinalIgnoreCase) ? Long : Ci;
        if (!string.IsNullOrEmpty(mode) && settings == Ci && !string.Equals(mode, "ci", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ModeVariable}='{mode}': use 'long' (or 'ci', the default)");
        }

        if (Number(SeedVariable) is { } seed)
        {
            settings = settings with { Mode = settings.Mode + "+seed", Seed = seed };
        }

        if (Number(CountVariable) is { } count)
        {
            settings = settings with { Mode = settings.Mode + "+count", Mutants = count };
        }

        return settings;
    }

    private static int? Number(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new InvalidOperationException($"{variable}='{value}' is not a non-negative whole number");
    }
}
