using KafkaAnalyzers.Reliability.Consuming;
using Microsoft.Extensions.Options;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>Reports every invalid <see cref="ReliableConsumerOptions"/> setting, by name, when the host starts.</summary>
internal sealed class ReliableConsumerOptionsValidator : IValidateOptions<ReliableConsumerOptions>
{
    public ValidateOptionsResult Validate(string? name, ReliableConsumerOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Reliable consumer '{name}': {problem}"));
    }
}
