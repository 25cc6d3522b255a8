using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers.Model;

/// <summary>
/// A client held in a field and disposed (or closed) in several members, one of which shuts it down
/// properly: on every path through that member, each of its disposals comes after one of its shutdown
/// steps (for a producer a Flush whose count is read, for a consumer a wait for its loop). The disposals
/// in the other members are then fallbacks for when that shutdown did not run, not the shutdown itself.
/// The shape is confluent-kafka-dotnet's VerifiableClient: <c>Dispose()</c> disposes the client if it is
/// not null, while <c>Run()</c> flushes (producer) or cancels and waits for the consume task (consumer),
/// then closes, disposes and nulls the field. Used by KAFKA007 and KAFKA102.
/// </summary>
internal static class ProperShutdown
{
    /// <summary>
    /// True when <paramref name="disposals"/> lie in more than one function and, in one of them, every
    /// disposal is reached only after one of the operations <paramref name="stepsIn"/> gives for that function.
    /// </summary>
    public static bool ElsewhereThanFallbacks(
        IEnumerable<IOperation> disposals,
        Func<IOperation, IReadOnlyList<IOperation>> stepsIn,
        FlowSymbols flow,
        CancellationToken cancellationToken)
    {
        var groups = disposals.GroupBy(FlowGraphs.FunctionOf).ToList();
        if (groups.Count < 2)
        {
            return false;
        }

        foreach (var group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = stepsIn(group.Key);
            if (steps.Count == 0)
            {
                continue;
            }

            var answer = ControlFlowPaths.Ask(new PathQuestion(null, group, Array.Empty<IOperation>(), steps, startMarked: true), flow, cancellationToken);
            if (answer.Answered && answer.ReachedMarked.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
