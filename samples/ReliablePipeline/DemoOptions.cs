using System.Globalization;

namespace ReliablePipeline;

/// <summary>Settings of the demo (command line: <c>--orders N --seed N --bootstrap-servers host:port</c>).</summary>
public sealed record DemoOptions
{
    /// <summary>Smallest order count: below it the fault schedule's trigger points crowd together.</summary>
    public const int MinOrderCount = 300;

    /// <summary>Largest order count.</summary>
    public const int MaxOrderCount = 20_000;

    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: ReliablePipeline [--orders N] [--seed N] [--bootstrap-servers host:port]\n" +
        "  --orders             orders per run, published over 12 s, 300..20000 (default 3000)\n" +
        "  --seed               seed of the orders and of which ones misbehave (default 20261201)\n" +
        "  --bootstrap-servers  use a real cluster instead of the in-process one (broker faults are then skipped)";

    /// <summary>Orders per run.</summary>
    public int OrderCount { get; init; } = 3000;

    /// <summary>Seed of the order book.</summary>
    public int Seed { get; init; } = 20261201;

    /// <summary>A real cluster, or <see langword="null"/> for a fresh in-process cluster per run.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names the option.</exception>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--orders" => options with { OrderCount = Number(name, Value(), MinOrderCount, MaxOrderCount) },
                "--seed" => options with { Seed = Number(name, Value(), int.MinValue, int.MaxValue) },
                "--bootstrap-servers" => options with { BootstrapServers = Servers(name, Value()) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; got '{value}'.");

    private static string Servers(string name, string value) =>
        value.Split(',').All(server => server.Trim().Split(':') is [{ Length: > 0 }, var port] && int.TryParse(port, out _))
            ? value.Trim()
            : throw new ArgumentException($"{name} must be a comma-separated host:port list; got '{value}'.");
}
