using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Meta.Mutation;

/// <summary>
/// Runs with the shipped analyzers in the harness and asks every shared per-type model every question it
/// answers (configurations, producers, consumers, consume loops, catch clauses, calls into the project),
/// so that a model that throws on some code is caught even before a rule asks it that question. Reports
/// nothing; an exception surfaces as an analyzer exception like any other.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ModelProbe : KafkaTypeAnalyzer
{
    private static readonly DiagnosticDescriptor Unused = DescriptorFactory.Create("PROBE001", "Model probe", DiagnosticSeverity.Hidden, "t", "t", "t", dataLoss: false);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var configurations = analysis.Configurations;
        foreach (var config in configurations.Contexts)
        {
            _ = config.State.Explicit.ToList();
        }

        foreach (var creation in analysis.Index.ObjectCreations)
        {
            if (analysis.Symbols.IsProducerBuilder(creation.Type))
            {
                _ = analysis.ProducerBuiltBy(creation);
            }
        }

        var producers = analysis.Producers;
        foreach (var instance in producers.Instances)
        {
            _ = instance.QueuingProduces.Count();
            _ = instance.Holder is null ? null : producers.InstanceOf(instance.Holder);
        }

        foreach (var call in producers.ProduceCalls)
        {
            _ = call.Handler?.IgnoresOutcome;
        }

        var consumers = analysis.Consumers;
        foreach (var call in consumers.Calls)
        {
            _ = consumers.CallAt(call.Invocation);
        }

        var loops = analysis.ConsumeLoops;
        foreach (var loop in loops.Loops)
        {
            foreach (var catchClause in loop.Catches)
            {
                _ = loop.ContinuesAfter(catchClause);
            }

            foreach (var call in loop.ConsumeCalls)
            {
                _ = loops.LoopContaining(call.Invocation);
            }
        }

        foreach (var (_, root) in analysis.Index.Roots)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            _ = analysis.ProjectCalls.Summarize(root);
            foreach (var invocation in root.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                _ = analysis.ProjectCalls.EffectsOf(invocation.TargetMethod);
            }
        }
    }
}
