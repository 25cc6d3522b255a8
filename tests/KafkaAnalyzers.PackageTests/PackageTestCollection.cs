[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// Every package test shares one packed feed and runs one at a time: each starts dotnet builds,
/// which would only fight over the CPU and the packages folder if run together.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackageTestCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packed KafkaAnalyzers";
}
