using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Model;

/// <summary>Everything the rules may ask about one type, computed on first use.</summary>
internal sealed class KafkaTypeAnalysis
{
    private readonly Lazy<OperationIndex> _index;
    private readonly Lazy<ConfigurationModel> _configurations;
    private readonly Lazy<ProducerModel> _producers;
    private readonly AnalyzerOptions _options;
    private readonly Lazy<ConsumerModel> _consumers;
    private readonly Lazy<ConsumeLoopModel> _consumeLoops;

    public KafkaTypeAnalysis(KafkaSymbols symbols, INamedTypeSymbol type, ImmutableArray<(ISymbol Owner, IOperation Root)> blocks, AnalyzerOptions options)
        : this(symbols, type, new Lazy<OperationIndex>(() => OperationIndex.Build(type, blocks)), options)
    {
    }

    /// <summary>For an index built already (the gate builds it to confirm the type touches Confluent.Kafka).</summary>
    public KafkaTypeAnalysis(KafkaSymbols symbols, INamedTypeSymbol type, OperationIndex index, AnalyzerOptions options)
        : this(symbols, type, new Lazy<OperationIndex>(() => index), options)
    {
    }

    private KafkaTypeAnalysis(KafkaSymbols symbols, INamedTypeSymbol type, Lazy<OperationIndex> index, AnalyzerOptions options)
    {
        Symbols = symbols;
        Type = type;
        _options = options;
        _index = index;
        _configurations = new Lazy<ConfigurationModel>(() => ConfigurationModel.Create(symbols, _index.Value));
        // Shared by every rule family of the type, so no family's token: robustness's SharedComputation
        // (KafkaTypeAnalysis.Models) passes the asking family's token here when it lands.
        _producers = new Lazy<ProducerModel>(() => ProducerModel.Create(symbols, _index.Value, System.Threading.CancellationToken.None));
        _consumers = new Lazy<ConsumerModel>(() => ConsumerModel.Create(symbols, _index.Value, _configurations.Value));
        _consumeLoops = new Lazy<ConsumeLoopModel>(() => ConsumeLoopModel.Create(symbols, _index.Value, _consumers.Value, ProjectCalls));
    }

    public KafkaSymbols Symbols { get; }

    public INamedTypeSymbol Type { get; }

    public OperationIndex Index => _index.Value;

    public ConfigurationModel Configurations => _configurations.Value;

    /// <summary>The producers this type builds, holds or is handed, and every produce call (Model/Instances).</summary>
    public ProducerModel Producers => _producers.Value;

    /// <summary>The consumers of the type: where each is built, with which configuration, owned or not, every call on it.</summary>
    public ConsumerModel Consumers => _consumers.Value;

    /// <summary>The consume loops and message handlers of the type, their results and catch clauses.</summary>
    public ConsumeLoopModel ConsumeLoops => _consumeLoops.Value;

    /// <summary>"Calls into the project" for this compilation (shared by every type).</summary>
    public ProjectCalls ProjectCalls => ProjectCalls.For(Symbols, _options);

    public KafkaAnalyzerOptions OptionsFor(SyntaxTree tree) => KafkaAnalyzerOptions.For(_options, tree);

    public ProducerInstance? ProducerBuiltBy(Microsoft.CodeAnalysis.Operations.IObjectCreationOperation builder)
        => Producers.InstanceBuiltBy(builder);
}
