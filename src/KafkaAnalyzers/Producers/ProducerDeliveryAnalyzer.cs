using System.Collections.Immutable;
using System.Linq;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Producers;

/// <summary>
/// KAFKA004 Produce without a delivery handler, KAFKA005 unobserved ProduceAsync, KAFKA006 delivery
/// handler that never reads the outcome: whether anyone hears about a failed delivery, read from the
/// shared producer model.
/// </summary>
internal sealed class ProducerDeliveryAnalyzer : KafkaTypeAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA004_ProduceWithoutHandler,
        Descriptors.KAFKA005_ProduceAsyncNotObserved,
        Descriptors.KAFKA006_HandlerIgnoresError);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var producers = analysis.Producers;
        if (producers.ProduceCalls.IsEmpty)
        {
            return;
        }

        var reporter = new DeduplicatingReporter(context);
        foreach (var call in producers.ProduceCalls)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!call.IsDelivering)
            {
                continue;
            }

            if (call.IsAsync)
            {
                ReportUnobserved(call, reporter);
                continue;
            }

            if (call.Handler is not { } handler || ReportsElsewhere(analysis, call))
            {
                continue;
            }

            if (handler.IsMissing)
            {
                reporter.Report(Descriptors.KAFKA004_ProduceWithoutHandler, call.Invocation.WholeCallSyntax().GetLocation());
            }
            else if (handler.IgnoresOutcome && handler.Argument is { } argument)
            {
                reporter.Report(Descriptors.KAFKA006_HandlerIgnoresError, argument.Syntax.GetLocation(), messageArgs: handler.Bodies[0].Report.Name);
            }
        }
    }

    private static void ReportUnobserved(ProduceCall call, DeduplicatingReporter reporter)
    {
        var use = call.Task;
        if (!use.IsUnobserved)
        {
            return;
        }

        string how;
        if (use.ThroughFireAndForgetRun)
        {
            how = "The task ProduceAsync returns is returned from a Task.Run (or StartNew) whose own task is discarded";
        }
        else if (use.Kind == TaskUseKind.ContinuedWithoutObserving)
        {
            how = "The task ProduceAsync returns is continued with a ContinueWith that never reads its Exception, IsFaulted or Result (or never runs on failure)";
        }
        else if (use.Site is IVariableDeclaratorOperation declarator)
        {
            how = $"The task ProduceAsync returns is stored in '{declarator.Symbol.Name}' and never awaited";
        }
        else if (use.Site is IAssignmentOperation { Target: ILocalReferenceOperation local })
        {
            how = $"The task ProduceAsync returns is stored in '{local.Local.Name}' and never awaited";
        }
        else
        {
            how = "The task ProduceAsync returns is discarded";
        }

        reporter.Report(Descriptors.KAFKA005_ProduceAsyncNotObserved, call.Invocation.WholeCallSyntax().GetLocation(), messageArgs: how);
    }

    /// <summary>
    /// Failures are reported another way, or deliberately not at all: a transactional producer
    /// (CommitTransaction throws for failed deliveries), or delivery reports switched off in a visible configuration.
    /// </summary>
    private static bool ReportsElsewhere(KafkaTypeAnalysis analysis, ProduceCall call)
    {
        var instance = call.Instance;
        if (instance is null)
        {
            // A producer this type does not hold (a property, a method's result): transactions on any producer here count.
            return analysis.Producers.Instances.Any(i => i.IsTransactional);
        }

        if (instance.IsTransactional)
        {
            return true;
        }

        if (instance.Builder is null)
        {
            return false;
        }

        if (!analysis.Symbols.IsProducerBuilder(instance.Builder.Type))
        {
            // A project's subclass of ProducerBuilder (confluent's TestProducerBuilder): the configuration model
            // sees no builder there, since the subclass's constructor may edit the settings. Delivery reports
            // switched off, or a transactional id, written in the same method still mean what they say.
            return WrittenNear(analysis, instance.Builder);
        }

        foreach (var config in analysis.Configurations.Contexts)
        {
            if (config.Builder != instance.Builder)
            {
                continue;
            }

            var settings = new ProducerSettings(config);
            if (settings.TransactionalIdSet || ProducerSettings.IsFalse(config.Get(ConfigKeys.EnableDeliveryReports)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool WrittenNear(KafkaTypeAnalysis analysis, IOperation builder)
    {
        var owner = analysis.Index.OwnerOf(builder);
        foreach (var write in analysis.Configurations.Writes)
        {
            if (owner is null || !SymbolEqualityComparer.Default.Equals(analysis.Index.OwnerOf(write.Operation), owner))
            {
                continue;
            }

            if ((write.CanonicalKey == ConfigKeys.EnableDeliveryReports && write.HasConstantValue && ConfigValues.TryParseBool(write.Value, out var on) && !on)
                || (write.CanonicalKey == ConfigKeys.TransactionalId && !write.Removes))
            {
                return true;
            }
        }

        return false;
    }
}
