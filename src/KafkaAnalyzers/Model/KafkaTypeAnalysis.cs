using System.Collections.Immutable;
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

    public OperationIndex Index => _models.Index.Get(CancellationToken);

    public ConfigurationModel Configurations => _models.Configurations.Get(CancellationToken);

    public KafkaAnalyzerOptions OptionsFor(SyntaxTree tree) => KafkaAnalyzerOptions.For(_options, tree);

    public ProducerInstance? ProducerBuiltBy(Microsoft.CodeAnalysis.Operations.IObjectCreationOperation builder)
        => ProducerInstance.Find(Symbols, Index, builder);

    /// <summary>The per-type models, each computed once by the first family that asks (add new ones here).</summary>
    internal sealed class Models
    {
        public Models(KafkaSymbols symbols, INamedTypeSymbol type, ImmutableArray<(ISymbol Owner, IOperation Root)> blocks)
        {
            Symbols = symbols;
            Type = type;
            Index = new SharedComputation<OperationIndex>(cancellationToken => OperationIndex.Build(type, blocks, cancellationToken));
            Configurations = new SharedComputation<ConfigurationModel>(cancellationToken => ConfigurationModel.Create(symbols, Index.Get(cancellationToken), cancellationToken));
        }

        public KafkaSymbols Symbols { get; }

        public INamedTypeSymbol Type { get; }

        public SharedComputation<OperationIndex> Index { get; }

        public SharedComputation<ConfigurationModel> Configurations { get; }
    }
}
