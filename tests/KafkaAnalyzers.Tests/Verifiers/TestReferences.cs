using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaAnalyzers.Tests.Verifiers;

/// <summary>
/// Compilation references for test sources: the .NET 10 reference assemblies held in-process
/// (no download at test time), Confluent.Kafka 2.16.0, Confluent.SchemaRegistry 2.16.0 and the
/// Microsoft.Extensions abstractions real services bind and register their Kafka clients with.
/// </summary>
internal static class TestReferences
{
    public static readonly ReferenceAssemblies ReferenceAssemblies = new("net10.0");

    /// <summary>
    /// Confluent.SchemaRegistry 2.16.0 (KAFKA202 reads its SchemaRegistryConfig), from the NuGet cache: the test
    /// project downloads it; the analyzers resolve it by name and never reference it.
    /// </summary>
    public static readonly string SchemaRegistryPath = System.IO.Path.Combine(
        TestEnvironment.NuGetPackageRoot, "confluent.schemaregistry", "2.16.0", "lib", "net8.0", "Confluent.SchemaRegistry.dll");

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

        builder.Add(MetadataReference.CreateFromFile(SchemaRegistryPath));
        return builder.ToImmutable();
    }

    /// <summary>
    /// <see cref="All"/> with Microsoft.Extensions.Hosting.Abstractions of the given major version (8, 9: the
    /// reference assembly from the NuGet cache, downloaded by the test project; 10: as referenced) in place of
    /// 10.0, and without Microsoft.Extensions.Hosting (built against 10.0): what KAFKA114's version boundary is
    /// decided from.
    /// </summary>
    public static ImmutableArray<MetadataReference> WithHostingAbstractions(int major)
    {
        if (major == 10)
        {
            return All;
        }

        var abstractions = typeof(Microsoft.Extensions.Hosting.BackgroundService).Assembly.Location;
        var host = typeof(Microsoft.Extensions.Hosting.Host).Assembly.Location;
        var withoutHosting = All.Where(r => r is not PortableExecutableReference { FilePath: { } file } || (file != abstractions && file != host));
        if (major == 0)
        {
            // No hosting assembly at all (a test declares its own BackgroundService: unknown version).
            return withoutHosting.ToImmutableArray();
        }

        var path = System.IO.Path.Combine(TestEnvironment.NuGetPackageRoot, "microsoft.extensions.hosting.abstractions", $"{major}.0.0", "lib", "net8.0", "Microsoft.Extensions.Hosting.Abstractions.dll");
        return withoutHosting
            .Append(MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    /// <summary>
    /// Microsoft.Extensions.Hosting (the host itself, not the abstractions) of the given major version from the
    /// NuGet cache (9: downloaded by the test project), for sources that build a host on that version.
    /// </summary>
    public static MetadataReference HostingAssembly(int major)
        => MetadataReference.CreateFromFile(System.IO.Path.Combine(
            TestEnvironment.NuGetPackageRoot, "microsoft.extensions.hosting", $"{major}.0.0", "lib", $"net{major}.0", "Microsoft.Extensions.Hosting.dll"));

    public static void AddTo(SolutionState state)
    {
        state.AdditionalReferences.AddRange(All);
    }
}
