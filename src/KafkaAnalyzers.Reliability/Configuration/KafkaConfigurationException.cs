namespace KafkaAnalyzers.Reliability.Configuration;

/// <summary>A Kafka client configuration was refused; the message lists every offending setting.</summary>
public sealed class KafkaConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="problems"/> found in a configuration described by <paramref name="purpose"/>.</summary>
    /// <param name="purpose">What the configuration is for, with its article, e.g. "a critical producer".</param>
    /// <param name="problems">At least one problem.</param>
    public KafkaConfigurationException(string purpose, IReadOnlyList<KafkaConfigurationProblem> problems)
        : base(Describe(purpose, problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in the order the validator checks them.</summary>
    public IReadOnlyList<KafkaConfigurationProblem> Problems { get; }

    private static string Describe(string purpose, IReadOnlyList<KafkaConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one problem.", nameof(problems));
        }

        var lines = problems.Select(problem => "- " + problem.Message);
        return $"This configuration is not safe for {purpose} ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
