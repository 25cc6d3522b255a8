using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>Shapes of test code that rules read differently from service code.</summary>
internal static class TestCode
{
    /// <summary>
    /// Inside a lambda handed to a test assertion that expects it to throw (<c>Assert.Throws(() =&gt; ...)</c>,
    /// <c>ThrowsAsync</c>, <c>ThrowsAny</c>, MSTest's <c>ThrowsException</c>): the code is meant to fail —
    /// a produce that is not meant to deliver, a <c>Build()</c> that is meant to be rejected
    /// (confluent-kafka-dotnet's unit tests check that a consumer without group.id does not build).
    /// Only the innermost lambda counts.
    /// </summary>
    public static bool IsExpectedToThrow(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation lambda)
            {
                var creation = lambda.ParentIgnoringConversions(out _);
                if (creation is IDelegateCreationOperation)
                {
                    creation = creation.ParentIgnoringConversions(out _);
                }

                return creation is IArgumentOperation { Parent: IInvocationOperation assertion }
                       && assertion.TargetMethod.Name.StartsWith("Throws", System.StringComparison.Ordinal);
            }
        }

        return false;
    }
}
