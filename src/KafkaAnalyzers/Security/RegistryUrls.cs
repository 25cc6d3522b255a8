using System;

namespace KafkaAnalyzers.Security;

/// <summary>Reads a <c>schema.registry.url</c> list: comma-separated <c>http(s)://host[:port][/path]</c>.</summary>
internal static class RegistryUrls
{
    /// <summary>
    /// Every URL is plain http (certificate verification does nothing) or names this machine (localhost,
    /// 127.x.x.x, ::1): verification cannot be bypassed from the network.
    /// </summary>
    public static bool NoTlsOverNetwork(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return false;
        }

        foreach (var entry in urls!.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var url = entry.Trim();
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !BootstrapServers.AllLoopback(HostPart(url)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>https://host:port/path</c> → <c>https://host:port</c> (BootstrapServers reads <c>[proto://]host[:port]</c>).</summary>
    private static string HostPart(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var path = url.IndexOf('/', scheme < 0 ? 0 : scheme + 3);
        return path < 0 ? url : url.Substring(0, path);
    }
}
