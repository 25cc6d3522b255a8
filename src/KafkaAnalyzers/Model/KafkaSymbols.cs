using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The Confluent.Kafka and BCL symbols every rule matches against, resolved once per compilation.
/// <see cref="TryCreate"/> returns null when Confluent.Kafka is not referenced, and analyzers then register nothing.
/// </summary>
internal sealed class KafkaSymbols
{
    private KafkaSymbols(Compilation compilation, INamedTypeSymbol config)
    {
        Compilation = compilation;
        Config = config;
        ClientConfig = Get(compilation, "Confluent.Kafka.ClientConfig");
        ProducerConfig = Get(compilation, "Confluent.Kafka.ProducerConfig");
        ConsumerConfig = Get(compilation, "Confluent.Kafka.ConsumerConfig");
        AdminClientConfig = Get(compilation, "Confluent.Kafka.AdminClientConfig");
        ProducerBuilder = Get(compilation, "Confluent.Kafka.ProducerBuilder`2");
        ConsumerBuilder = Get(compilation, "Confluent.Kafka.ConsumerBuilder`2");
        AdminClientBuilder = Get(compilation, "Confluent.Kafka.AdminClientBuilder");
        IProducer = Get(compilation, "Confluent.Kafka.IProducer`2");
        IConsumer = Get(compilation, "Confluent.Kafka.IConsumer`2");
        IClient = Get(compilation, "Confluent.Kafka.IClient");
        TopicPartition = Get(compilation, "Confluent.Kafka.TopicPartition");
        Acks = Get(compilation, "Confluent.Kafka.Acks");
        SecurityProtocol = Get(compilation, "Confluent.Kafka.SecurityProtocol");
        SaslMechanism = Get(compilation, "Confluent.Kafka.SaslMechanism");

        Dictionary = Get(compilation, "System.Collections.Generic.Dictionary`2");
        IDictionary = Get(compilation, "System.Collections.Generic.IDictionary`2");
        KeyValuePair = Get(compilation, "System.Collections.Generic.KeyValuePair`2");
        KeyValuePairStatic = Get(compilation, "System.Collections.Generic.KeyValuePair");
        List = Get(compilation, "System.Collections.Generic.List`1");
        ConfigurationBinder = Get(compilation, "Microsoft.Extensions.Configuration.ConfigurationBinder");
        IConfiguration = Get(compilation, "Microsoft.Extensions.Configuration.IConfiguration");

        ConfigSet = FindMethod(config, "Set", 2);
        ProducerBuild = ProducerBuilder is null ? null : FindMethod(ProducerBuilder, "Build", 0);
        ConsumerBuild = ConsumerBuilder is null ? null : FindMethod(ConsumerBuilder, "Build", 0);
        ProducerProduce = IProducer is null ? ImmutableArray<IMethodSymbol>.Empty : Methods(IProducer, "Produce");
        ProducerProduceAsync = IProducer is null ? ImmutableArray<IMethodSymbol>.Empty : Methods(IProducer, "ProduceAsync");
        _flow = new System.Lazy<FlowSymbols>(() => new FlowSymbols(compilation));

        // Producer call sites (KAFKA004-011).
        DependentProducerBuilder = Get(compilation, "Confluent.Kafka.DependentProducerBuilder`2");
        DeliveryReport = Get(compilation, "Confluent.Kafka.DeliveryReport`2");
        IConsumerConsume = IConsumer is null ? ImmutableArray<IMethodSymbol>.Empty : Methods(IConsumer, "Consume");

        // Confluent.SchemaRegistry (KAFKA202): by name, only from that assembly; the analyzers never reference it.
        SchemaRegistryConfig = SchemaRegistry.Config(compilation);
        SchemaRegistryKeys = SchemaRegistry.Keys(SchemaRegistryConfig);
    }

    /// <summary>Confluent.SchemaRegistry's <c>SchemaRegistryConfig</c>; null when the compilation does not reference Confluent.SchemaRegistry.</summary>
    public INamedTypeSymbol? SchemaRegistryConfig { get; }

    /// <summary>The key each typed <c>SchemaRegistryConfig</c> property writes (<c>EnableSslCertificateVerification</c> → <c>schema.registry.enable.ssl.certificate.verification</c>).</summary>
    public ImmutableDictionary<string, string> SchemaRegistryKeys { get; }

    /// <summary>A <c>SchemaRegistryConfig</c> or a class derived from it (not a Kafka client configuration: it never reaches librdkafka).</summary>
    public bool IsSchemaRegistryConfigType(ITypeSymbol? type)
    {
        if (SchemaRegistryConfig is null)
        {
            return false;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, SchemaRegistryConfig))
            {
                return true;
            }
        }

        return false;
    }

    public INamedTypeSymbol? DependentProducerBuilder { get; }

    public INamedTypeSymbol? DeliveryReport { get; }

    public ImmutableArray<IMethodSymbol> IConsumerConsume { get; }

    private readonly System.Lazy<FlowSymbols> _flow;

    /// <summary>Consumer-side and BCL symbols of the flow model (consume loops, hand-offs, catch bodies), resolved on first use.</summary>
    public FlowSymbols Flow => _flow.Value;

    public Compilation Compilation { get; }

    public INamedTypeSymbol Config { get; }

    public INamedTypeSymbol? ClientConfig { get; }

    public INamedTypeSymbol? ProducerConfig { get; }

    public INamedTypeSymbol? ConsumerConfig { get; }

    public INamedTypeSymbol? AdminClientConfig { get; }

    public INamedTypeSymbol? ProducerBuilder { get; }

    public INamedTypeSymbol? ConsumerBuilder { get; }

    public INamedTypeSymbol? AdminClientBuilder { get; }

    public INamedTypeSymbol? IProducer { get; }

    public INamedTypeSymbol? IConsumer { get; }

    public INamedTypeSymbol? IClient { get; }

    public INamedTypeSymbol? TopicPartition { get; }

    public INamedTypeSymbol? Acks { get; }

    public INamedTypeSymbol? SecurityProtocol { get; }

    public INamedTypeSymbol? SaslMechanism { get; }

    public INamedTypeSymbol? Dictionary { get; }

    public INamedTypeSymbol? IDictionary { get; }

    public INamedTypeSymbol? KeyValuePair { get; }

    public INamedTypeSymbol? KeyValuePairStatic { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? ConfigurationBinder { get; }

    public INamedTypeSymbol? IConfiguration { get; }

    public IMethodSymbol? ConfigSet { get; }

    public IMethodSymbol? ProducerBuild { get; }

    public IMethodSymbol? ConsumerBuild { get; }

    public ImmutableArray<IMethodSymbol> ProducerProduce { get; }

    public ImmutableArray<IMethodSymbol> ProducerProduceAsync { get; }

    public static KafkaSymbols? TryCreate(Compilation compilation)
    {
#pragma warning disable RS0030 // this is the once-per-compilation resolution point
        var config = compilation.GetTypeByMetadataName("Confluent.Kafka.Config");
#pragma warning restore RS0030
        return config is null ? null : new KafkaSymbols(compilation, config);
    }

    /// <summary>
    /// The operation creates, calls or reads a member of a Confluent.Kafka type (or of Confluent.SchemaRegistry's
    /// <c>SchemaRegistryConfig</c>, which KAFKA202 reads): the cheap test that decides whether a type is worth
    /// modelling at all.
    /// </summary>
    public bool IsFromKafka(IOperation operation)
    {
        var type = operation switch
        {
            IObjectCreationOperation creation => creation.Type,
            IInvocationOperation invocation => invocation.TargetMethod.ContainingType,
            IPropertyReferenceOperation property => property.Property.ContainingType,
            _ => null,
        };

        // A user subclass of a Confluent type (a config or builder of the application's own) counts too.
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, Config.ContainingAssembly)
                || (SchemaRegistryConfig is not null && SymbolEqualityComparer.Default.Equals(current, SchemaRegistryConfig)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for a configuration of a Kafka client: Confluent's Config, ClientConfig and every class
    /// derived from ClientConfig. Other subclasses of Config are not client configurations:
    /// Confluent.SchemaRegistry's SerdeConfig (and AvroSerializerConfig etc. derived from it) holds
    /// serializer settings that never reach librdkafka.
    /// </summary>
    public bool IsKafkaConfigType(ITypeSymbol? type)
    {
        var root = ClientConfig ?? Config;
        if (SymbolEqualityComparer.Default.Equals(type, Config))
        {
            return true;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, root))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsProducerBuilder(ITypeSymbol? type) => IsConstructedFrom(type, ProducerBuilder);

    public bool IsConsumerBuilder(ITypeSymbol? type) => IsConstructedFrom(type, ConsumerBuilder);

    public bool IsStringDictionary(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && (IsConstructedFrom(named, Dictionary) || IsConstructedFrom(named, IDictionary))
           && named.TypeArguments.Length == 2
           && named.TypeArguments[0].SpecialType == SpecialType.System_String
           && named.TypeArguments[1].SpecialType == SpecialType.System_String;

    /// <summary>Confluent's own config classes (not a user subclass, whose constructor we cannot see).</summary>
    public bool IsConfluentConfigType(ITypeSymbol? type)
        => IsKafkaConfigType(type) && SymbolEqualityComparer.Default.Equals(type!.ContainingAssembly, Config.ContainingAssembly);

    public bool IsStringPairList(ITypeSymbol? type)
        => type is INamedTypeSymbol named && IsConstructedFrom(named, List) && IsStringPair(named.TypeArguments[0]);

    public bool IsStringPair(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && IsConstructedFrom(named, KeyValuePair)
           && named.TypeArguments[0].SpecialType == SpecialType.System_String
           && named.TypeArguments[1].SpecialType == SpecialType.System_String;

    public static bool IsConstructedFrom(ITypeSymbol? type, INamedTypeSymbol? definition)
        => definition is not null
           && type is INamedTypeSymbol named
           && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, definition);

    /// <summary>True when the type, or one of its interfaces, is a construction of <paramref name="definition"/>.</summary>
    public static bool ImplementsGeneric(ITypeSymbol? type, INamedTypeSymbol? definition)
    {
        if (definition is null || type is null)
        {
            return false;
        }

        if (IsConstructedFrom(type, definition))
        {
            return true;
        }

        foreach (var iface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(iface.OriginalDefinition, definition))
            {
                return true;
            }
        }

        return false;
    }

    private static INamedTypeSymbol? Get(Compilation compilation, string metadataName)
#pragma warning disable RS0030 // once per compilation
        => compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030

    private static IMethodSymbol? FindMethod(INamedTypeSymbol type, string name, int parameterCount)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol method && method.Parameters.Length == parameterCount)
            {
                return method;
            }
        }

        return null;
    }

    private static ImmutableArray<IMethodSymbol> Methods(INamedTypeSymbol type, string name)
    {
        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol method)
            {
                builder.Add(method);
            }
        }

        return builder.ToImmutable();
    }
}
