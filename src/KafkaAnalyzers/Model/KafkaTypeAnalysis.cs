using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Everything the rules may ask about one type, computed on first use. The models are shared by every
/// rule family (<see cref="Models"/>, cached per type); each family sees them through its own
/// cancellation token, which the models' loops observe.
/// </summary>
internal sealed class KafkaTypeAnalysis
{
    private readonly Models _models;
    private readonly AnalyzerOptions _options;

    public KafkaTypeAnalysis(Models models, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        _models = models;
        _options = options;
        CancellationToken = cancellationToken;
    }

    public KafkaSymbols Symbols => _models.Symbols;

    public INamedTypeSymbol Type => _models.Type;

    /// <summary>The token of the analysis asking; loops over operations, configurations or clients observe it.</summary>
    public CancellationToken CancellationToken { get; }

    public OperationIndex Index => _models.Index;

    public ConfigurationModel Configurations => _models.Configurations.Get(CancellationToken);

    /// <summary>The producers this type builds, holds or is handed, and every produce call (Model/Instances).</summary>
    public ProducerModel Producers => _models.Producers.Get(CancellationToken);

    /// <summary>The consumers of the type: where each is built, with which configuration, owned or not, every call on it.</summary>
    public ConsumerModel Consumers => _models.Consumers.Get(CancellationToken);

    /// <summary>The consume loops and message handlers of the type, their results and catch clauses.</summary>
    public ConsumeLoopModel ConsumeLoops => _models.ConsumeLoops.Get(CancellationToken);

    /// <summary>"Calls into the project" for this compilation (cached for every type), asked with this analysis' token.</summary>
    public ProjectCalls ProjectCalls => ProjectCalls.For(Symbols, _options, CancellationToken);

    public KafkaAnalyzerOptions OptionsFor(SyntaxTree tree) => KafkaAnalyzerOptions.For(_options, tree);

    public ProducerInstance? ProducerBuiltBy(Microsoft.CodeAnalysis.Operations.IObjectCreationOperation builder)
        => Producers.InstanceBuiltBy(builder);

    /// <summary>
    /// The per-type models over the type's operation index (built by the gate), each computed once by the
    /// first family that asks, with its token (add new models here as a <see cref="SharedComputation{T}"/>,
    /// never a <see cref="System.Lazy{T}"/>, which would replay one family's cancellation to the next).
    /// </summary>
    internal sealed class Models
    {
        public Models(KafkaSymbols symbols, INamedTypeSymbol type, OperationIndex index, AnalyzerOptions options)
        {
            Symbols = symbols;
            Type = type;
            Index = index;
            Configurations = new SharedComputation<ConfigurationModel>(cancellationToken => ConfigurationModel.Create(symbols, index, cancellationToken));
            Producers = new SharedComputation<ProducerModel>(cancellationToken => ProducerModel.Create(symbols, index, cancellationToken));
            Consumers = new SharedComputation<ConsumerModel>(cancellationToken => ConsumerModel.Create(symbols, index, Configurations.Get(cancellationToken), cancellationToken));
            ConsumeLoops = new SharedComputation<ConsumeLoopModel>(cancellationToken => ConsumeLoopModel.Create(symbols, index, Consumers.Get(cancellationToken), ProjectCalls.For(symbols, options, cancellationToken), cancellationToken));
        }

        public KafkaSymbols Symbols { get; }

        public INamedTypeSymbol Type { get; }

        public OperationIndex Index { get; }

        public SharedComputation<ConfigurationModel> Configurations { get; }

        public SharedComputation<ProducerModel> Producers { get; }

        public SharedComputation<ConsumerModel> Consumers { get; }

        public SharedComputation<ConsumeLoopModel> ConsumeLoops { get; }
    }
}
