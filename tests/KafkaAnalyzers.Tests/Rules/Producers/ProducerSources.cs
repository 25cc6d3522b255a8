namespace KafkaAnalyzers.Tests.Rules.Producers;

/// <summary>The usings every producer rule test source starts with (unused ones cost nothing).</summary>
internal static class ProducerSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Confluent.Kafka;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Options;

        """;
}
