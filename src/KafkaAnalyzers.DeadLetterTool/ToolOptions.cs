using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.DeadLetters;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary>The options every command shares: where the cluster is and which dead-letter topic.</summary>
internal sealed class ConnectionOptions
{
    public Option<string> BootstrapServers { get; } = new("--bootstrap-servers", "-b")
    {
        Description = "The cluster's bootstrap servers, host:port[,host:port...].",
        Required = true,
        HelpName = "host:port",
        CustomParser = result => Parsers.Servers(result),
    };

    public Option<string> Topic { get; } = new("--topic", "-t")
    {
        Description = "The dead-letter topic, for example orders.dlq.",
        Required = true,
        HelpName = "topic",
        CustomParser = result => Parsers.TopicName(result),
    };

    public Option<FileInfo?> CommandConfig { get; } = new("--command-config")
    {
        Description = "A properties file (key=value per line, # comments) with client settings such as security.protocol, sasl.* and ssl.*.",
        HelpName = "file",
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "How long to wait for the cluster before giving up: 500ms, 30s, 2m. Default 30s.",
        HelpName = "duration",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = result => Parsers.Duration(result, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
    };

    public void AddTo(Command command)
    {
        command.Add(BootstrapServers);
        command.Add(Topic);
        command.Add(CommandConfig);
        command.Add(Timeout);
    }

    /// <summary>The client settings: the properties file first, then --bootstrap-servers over it.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or has a malformed line; the message names it.</exception>
    public ClientConfig Connection(ParseResult parse)
    {
        var config = new ClientConfig();
        if (parse.GetValue(CommandConfig) is { } file)
        {
            foreach (var (key, value) in Parsers.Properties(file))
            {
                config.Set(key, value);
            }
        }

        config.BootstrapServers = parse.GetRequiredValue(BootstrapServers);
        return config;
    }
}

/// <summary>The dead-letter selection options of <c>list</c> and <c>replay</c>.</summary>
internal sealed class FilterOptions
{
    public Option<FailureCategory?> Category { get; } = new("--category")
    {
        Description = "Only this failure category: transient or permanent.",
        HelpName = "transient|permanent",
        CustomParser = result => Parsers.Category(result),
    };

    public Option<string?> ExceptionType { get; } = new("--exception-type")
    {
        Description = "Only this exception type, full (System.TimeoutException) or simple (TimeoutException) name.",
        HelpName = "type",
    };

    public Option<string?> OriginalTopic { get; } = new("--original-topic")
    {
        Description = "Only dead letters of messages consumed from this topic.",
        HelpName = "topic",
        CustomParser = result => Parsers.TopicName(result),
    };

    public Option<DateTimeOffset?> Since { get; } = new("--since")
    {
        Description = "Only dead letters written at or after this time: ISO 8601 (2026-12-01T08:00:00Z; no offset means UTC) or relative to now (-2h, -30m, -1d).",
        HelpName = "time",
        CustomParser = result => Parsers.Time(result),
    };

    public Option<DateTimeOffset?> Until { get; } = new("--until")
    {
        Description = "Only dead letters written before this time (same formats as --since).",
        HelpName = "time",
        CustomParser = result => Parsers.Time(result),
    };

    public Option<int?> Partition { get; } = new("--partition", "-p")
    {
        Description = "Only this partition of the dead-letter topic.",
        HelpName = "n",
        CustomParser = result => Parsers.NonNegativeInt(result),
    };

    public Option<long?> FromOffset { get; } = new("--from-offset")
    {
        Description = "Only offsets of the dead-letter topic from this one (inclusive).",
        HelpName = "offset",
        CustomParser = result => Parsers.NonNegativeLong(result),
    };

    public Option<long?> ToOffset { get; } = new("--to-offset")
    {
        Description = "Only offsets of the dead-letter topic up to this one (inclusive).",
        HelpName = "offset",
        CustomParser = result => Parsers.NonNegativeLong(result),
    };

    public void AddTo(Command command)
    {
        command.Add(Category);
        command.Add(ExceptionType);
        command.Add(OriginalTopic);
        command.Add(Since);
        command.Add(Until);
        command.Add(Partition);
        command.Add(FromOffset);
        command.Add(ToOffset);
        command.Validators.Add(result =>
        {
            if (Parsers.ValueOf(result, FromOffset) is { } from && Parsers.ValueOf(result, ToOffset) is { } to && to < from)
            {
                result.AddError($"--to-offset ({to}) is before --from-offset ({from}).");
            }

            if (Parsers.ValueOf(result, Since) is { } since && Parsers.ValueOf(result, Until) is { } until && until <= since)
            {
                result.AddError($"--until ({until:O}) is not after --since ({since:O}).");
            }

            if (Parsers.ValueOf(result, ExceptionType) is { } type && string.IsNullOrWhiteSpace(type))
            {
                result.AddError("--exception-type is blank.");
            }
        });
    }

    public DeadLetterFilter Filter(ParseResult parse) => new()
    {
        Category = parse.GetValue(Category),
        ExceptionType = parse.GetValue(ExceptionType),
        OriginalTopic = parse.GetValue(OriginalTopic),
        FailedFrom = parse.GetValue(Since),
        FailedBefore = parse.GetValue(Until),
        Partition = parse.GetValue(Partition),
        FromOffset = parse.GetValue(FromOffset),
        ToOffset = parse.GetValue(ToOffset),
    };
}

/// <summary>Value parsers that reject bad input with a message naming the option and what it accepts.</summary>
internal static partial class Parsers
{
    public static string Servers(ArgumentResult result)
    {
        var text = Single(result);
        var servers = text.Split(',', StringSplitOptions.TrimEntries);
        if (servers.Length == 0 || servers.Any(server => !ServerPattern().IsMatch(server)))
        {
            result.AddError($"{Name(result)} must be host:port[,host:port...]; got '{text}'.");
        }

        return string.Join(',', servers);
    }

    public static string TopicName(ArgumentResult result)
    {
        var text = Single(result);
        if (text.Length is 0 or > 249 || text is "." or ".." || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            result.AddError($"{Name(result)} must be a topic name (1 to 249 characters from [a-zA-Z0-9._-]); got '{text}'.");
        }

        return text;
    }

    public static FailureCategory? Category(ArgumentResult result)
    {
        var text = Single(result);
        if (text.Equals("transient", StringComparison.OrdinalIgnoreCase))
        {
            return FailureCategory.Transient;
        }

        if (text.Equals("permanent", StringComparison.OrdinalIgnoreCase))
        {
            return FailureCategory.Permanent;
        }

        result.AddError($"{Name(result)} must be transient or permanent; got '{text}'.");
        return null;
    }

    public static TimeSpan Duration(ArgumentResult result, TimeSpan min, TimeSpan max)
    {
        var text = Single(result);
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            result.AddError($"{Name(result)} must be a number followed by ms, s, m or h (500ms, 30s, 2m); got '{text}'.");
            return TimeSpan.Zero;
        }

        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
        if (value < min || value > max)
        {
            result.AddError($"{Name(result)} must be between {Show(min)} and {Show(max)}; got '{text}'.");
        }

        return value;
    }

    public static DateTimeOffset? Time(ArgumentResult result)
    {
        var text = Single(result);
        var relative = RelativeTimePattern().Match(text);
        if (relative.Success)
        {
            var amount = int.Parse(relative.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = relative.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return DateTimeOffset.UtcNow - span;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        result.AddError($"{Name(result)} must be an ISO 8601 time (2026-12-01T08:00:00Z) or relative to now (-30m, -2h, -1d); got '{text}'.");
        return null;
    }

    public static int? NonNegativeInt(ArgumentResult result)
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{Name(result)} must be a whole number from 0 to {int.MaxValue}; got '{text}'.");
        return null;
    }

    public static long? NonNegativeLong(ArgumentResult result)
    {
        var text = Single(result);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{Name(result)} must be a whole number from 0 to {long.MaxValue}; got '{text}'.");
        return null;
    }

    public static int Range(ArgumentResult result, int min, int max)
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{Name(result)} must be a whole number from {min} to {max}; got '{text}'.");
        return min;
    }

    /// <summary>Reads a Java-style properties file: key=value (or key: value) per line, # and ! comments, blank lines.</summary>
    /// <exception cref="ArgumentException">The file is missing or a line is malformed; the message names the file and line.</exception>
    public static IEnumerable<KeyValuePair<string, string>> Properties(FileInfo file)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--command-config: cannot read '{file.FullName}': {ex.Message}");
        }

        var settings = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var cut = line.IndexOfAny(['=', ':']);
            if (cut <= 0)
            {
                throw new ArgumentException($"--command-config: line {i + 1} of '{file.FullName}' is not key=value: '{line}'.");
            }

            settings.Add(new(line[..cut].Trim(), line[(cut + 1)..].Trim()));
        }

        return settings;
    }

    /// <summary>An option's value for a cross-option check, or default when the option itself did not parse (its own error is reported).</summary>
    public static T? ValueOf<T>(CommandResult result, Option<T> option)
    {
        try
        {
            return result.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            // The value did not parse; System.CommandLine reports the parser's own message.
            return default;
        }
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string Name(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : "The value";

    private static string Show(TimeSpan span) => span < TimeSpan.FromSeconds(1) ? $"{span.TotalMilliseconds:0}ms" : span < TimeSpan.FromMinutes(1) ? $"{span.TotalSeconds:0}s" : $"{span.TotalMinutes:0}m";

    [GeneratedRegex(@"^[A-Za-z0-9._\-\[\]:]+:\d{1,5}$")]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^-(\d{1,6})(m|h|d)$")]
    private static partial Regex RelativeTimePattern();
}
