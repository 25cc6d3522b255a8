using System;

namespace KafkaAnalyzers.Security;

/// <summary>Reads a bootstrap.servers list the way librdkafka does: comma-separated <c>[proto://]host[:port]</c>.</summary>
internal static class BootstrapServers
{
    /// <summary>Every broker is on this machine (localhost, 127.0.0.0/8, ::1): traffic never crosses a network.</summary>
    public static bool AllLoopback(string? servers)
    {
        if (string.IsNullOrWhiteSpace(servers))
        {
            return false;
        }

        foreach (var entry in servers!.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IsLoopback(Host(entry)))
            {
                return false;
            }
        }

        return true;
    }

    private static string Host(string entry)
    {
        var host = entry.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host.Substring(scheme + 3);
        }

        if (host.StartsWith("[", StringComparison.Ordinal))
        {
            var close = host.IndexOf(']');
            return close > 0 ? host.Substring(1, close - 1) : host;
        }

        // host:port; a bare IPv6 address has several colons and no port.
        var colon = host.IndexOf(':');
        return colon >= 0 && colon == host.LastIndexOf(':') ? host.Substring(0, colon) : host;
    }

    private static bool IsLoopback(string host)
        => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
           || host == "::1"
           || (host.StartsWith("127.", StringComparison.Ordinal) && IsIPv4(host));

    private static bool IsIPv4(string host)
    {
        var parts = host.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (!byte.TryParse(part, out _))
            {
                return false;
            }
        }

        return true;
    }
}
