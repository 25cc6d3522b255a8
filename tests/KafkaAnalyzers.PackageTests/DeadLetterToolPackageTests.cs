using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using KafkaAnalyzers.Reliability.Testing;

namespace KafkaAnalyzers.PackageTests;

/// <summary>kafka-dlq packs as a .NET tool, installs with <c>dotnet tool install</c>, and runs.</summary>
[Collection(PackageTestCollection.Name)]
public sealed class DeadLetterToolPackageTests(ToolFeed tool) : IClassFixture<ToolFeed>
{
    [Fact]
    public void It_packs_as_a_dotnet_tool_named_kafka_dlq_with_its_native_Kafka_library()
    {
        Assert.True(tool.Pack.Succeeded, tool.Pack.Describe());
        using var package = ZipFile.OpenRead(tool.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();

        var settings = Assert.Single(entries, e => e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using (var reader = new StreamReader(package.GetEntry(settings)!.Open()))
        {
            Assert.Contains("Name=\"kafka-dlq\"", reader.ReadToEnd());
        }

        Assert.Contains(entries, e => e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal) && e.EndsWith("/kafka-dlq.dll", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith("/KafkaAnalyzers.Reliability.dll", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith("/System.CommandLine.dll", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("runtimes/linux-x64/native/", StringComparison.Ordinal) && e.EndsWith("librdkafka.so", StringComparison.Ordinal));
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void It_installs_with_dotnet_tool_install_and_prints_its_help_with_the_exit_codes()
    {
        Assert.True(tool.Install?.Succeeded, tool.Install?.Describe() ?? tool.Pack.Describe());

        var help = Run("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("list", help.Output);
        Assert.Contains("replay", help.Output);
        Assert.Contains("Exit codes: 0 done", help.Output);
    }

    [Fact]
    public void The_installed_tool_reads_a_dead_letter_topic_of_a_running_cluster()
    {
        Assert.True(tool.Install?.Succeeded, tool.Install?.Describe() ?? tool.Pack.Describe());
        using var cluster = InProcessKafkaCluster.Start(1);
        cluster.CreateTopic("orders.dlq", partitions: 2);

        var list = Run("list", "--bootstrap-servers", cluster.BootstrapServers, "--topic", "orders.dlq");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("orders.dlq: 2 partition(s), 0 dead letter(s) stored", list.Output);
    }

    [Fact]
    public void The_installed_tool_exits_3_for_an_unreachable_cluster_and_2_for_bad_arguments()
    {
        Assert.True(tool.Install?.Succeeded, tool.Install?.Describe() ?? tool.Pack.Describe());
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var unreachable = Run("list", "-b", $"127.0.0.1:{closedPort}", "-t", "orders.dlq", "--timeout", "2s");
        var bad = Run("replay", "-b", "localhost:9092", "-t", "orders.dlq", "--max-replays", "none");

        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains($"Could not reach the Kafka cluster at 127.0.0.1:{closedPort}", unreachable.Output);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-replays must be a whole number", bad.Output);
    }

    private (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(tool.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kafka-dlq {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
