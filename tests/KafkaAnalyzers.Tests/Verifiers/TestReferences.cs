using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Verifiers;

/// <summary>
/// Compilation references for test sources: the .NET 10 reference assemblies held in-process
/// (no download at test time), Confluent.Kafka 2.16.0 and the Microsoft.Extensions abstractions
/// real services bind and register their Kafka clients with.
/// </summary>
internal static class TestReferences
{
    public static readonly ReferenceAssemblies ReferenceAssemblies = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> All = Build();

    /// <summary>
    /// <see cref="All"/> plus the runtime library (KafkaAnalyzers.Reliability, its testing cluster and
    /// Polly), as a project that uses <c>IDeadLetterSink</c> or <c>ReliableConsumer</c> compiles against.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> WithReliability = All.AddRange(new[]
    {
        MetadataReference.CreateFromFile(typeof(KafkaAnalyzers.Reliability.DeadLetters.IDeadLetterSink).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(KafkaAnalyzers.Reliability.Testing.InProcessKafkaCluster).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Polly.ResiliencePipeline).Assembly.Location),
    });

    private static ImmutableArray<MetadataReference> Build()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        builder.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        foreach (var type in new[]
                 {
                     typeof(Confluent.Kafka.IProducer<,>),
                     typeof(Microsoft.Extensions.Configuration.IConfiguration),
                     typeof(Microsoft.Extensions.Configuration.ConfigurationBinder),
                     typeof(Microsoft.Extensions.Options.IOptions<>),
                     typeof(Microsoft.Extensions.Logging.ILogger),
                     typeof(Microsoft.Extensions.Hosting.BackgroundService),
                     typeof(Microsoft.Extensions.Hosting.Host),
                     typeof(Microsoft.Extensions.Hosting.HostApplicationBuilder),
                     typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions),
                     typeof(Microsoft.Extensions.DependencyInjection.ServiceCollectionHostedServiceExtensions),
                     typeof(Microsoft.Extensions.Logging.LoggerExtensions),
                     typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
                 })
        {
            builder.Add(MetadataReference.CreateFromFile(type.Assembly.Location));
        }

        return builder.ToImmutable();
    }

    public static void AddTo(SolutionState state)
    {
        state.AdditionalReferences.AddRange(All);
    }
}
