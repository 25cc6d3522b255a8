using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KafkaAnalyzers.Reliability.Testing.Native;

/// <summary>
/// Finds the librdkafka module that Confluent.Kafka itself loaded, so that the mock cluster and
/// the clients under test share one copy of the library (two copies of one SONAME in a process
/// would each keep their own global state).
/// </summary>
internal static class LibrdkafkaModule
{
    /// <summary>The export every candidate must have: a librdkafka build without the mock cluster is useless here.</summary>
    private const string RequiredExport = "rd_kafka_mock_cluster_new";

    private static readonly string[] LoadedFileNames =
    [
        "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so", "librdkafka.so.1",
        "librdkafka.dll", "librdkafka.dylib", "librdkafka.1.dylib",
    ];

    /// <summary>Loads (or re-opens) the module Confluent.Kafka uses and returns its OS handle.</summary>
    public static IntPtr Load()
    {
        EnsureConfluentLoaded();

        // Same names, same order and the same assembly-relative probing (deps.json native assets,
        // i.e. runtimes/<rid>/native next to the app or in the NuGet cache, plus any
        // DllImportResolver registered on Confluent.Kafka) as Confluent.Kafka's own DllImports.
        // The OS returns the already loaded module for the same file, so nothing is loaded twice.
        var confluent = typeof(Confluent.Kafka.Library).Assembly;
        var names = ConfluentCandidateNames();
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, confluent, searchPath: null, out var handle)
                && NativeLibrary.TryGetExport(handle, RequiredExport, out _))
            {
                return handle;
            }
        }

        // Only reached when a custom host loaded the library some other way: bind to the module
        // that is mapped in this process, never to another copy on disk.
        foreach (var path in LoadedLibrdkafkaPaths())
        {
            if (NativeLibrary.TryLoad(path, out var handle) && NativeLibrary.TryGetExport(handle, RequiredExport, out _))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            $"Confluent.Kafka loaded librdkafka {Confluent.Kafka.Library.VersionString}, but the in-process Kafka cluster could not " +
            $"find that module with the mock-cluster API ('{RequiredExport}'). Tried the names {string.Join(", ", names)} " +
            $"the way Confluent.Kafka resolves them (runtime identifier {RuntimeInformation.RuntimeIdentifier}), " +
            "and the librdkafka modules mapped in this process. Check that the librdkafka.redist package's " +
            "runtimes/<rid>/native files are deployed next to the application.");
    }

    /// <summary>The DllImport names Confluent.Kafka 2.x tries on this platform, in its order.</summary>
    internal static IReadOnlyList<string> ConfluentCandidateNames()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ["librdkafka"];
        }

        // Confluent.Kafka picks the musl build on Alpine, else the GSSAPI-linked build (needs
        // libsasl2) and then the build without it.
        return IsAlpine() ? ["alpine-librdkafka"] : ["librdkafka", "centos8-librdkafka"];
    }

    private static void EnsureConfluentLoaded()
    {
        try
        {
            // Reading the version makes Confluent.Kafka load its native library if it has not yet.
            _ = Confluent.Kafka.Library.Version;
        }
        catch (Exception ex) when (ex is DllNotFoundException or InvalidOperationException or BadImageFormatException or FileLoadException)
        {
            throw new DllNotFoundException(
                "The in-process Kafka cluster needs the librdkafka native library that Confluent.Kafka loads, and " +
                $"Confluent.Kafka could not load it (runtime identifier {RuntimeInformation.RuntimeIdentifier}): {ex.Message}",
                ex);
        }
    }

    private static bool IsAlpine()
    {
        const string osRelease = "/etc/os-release";
        if (!File.Exists(osRelease))
        {
            return false;
        }

        foreach (var line in File.ReadLines(osRelease))
        {
            if (line.StartsWith("ID=", StringComparison.Ordinal))
            {
                return string.Equals(line[3..].Trim('"', '\''), "alpine", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    /// <summary>Full paths of librdkafka builds currently mapped into this process.</summary>
    internal static IReadOnlyList<string> LoadedLibrdkafkaPaths()
    {
        using var process = Process.GetCurrentProcess();
        var paths = new List<string>();
        foreach (ProcessModule module in process.Modules)
        {
            var fileName = module.FileName;
            if (!string.IsNullOrEmpty(fileName)
                && LoadedFileNames.Contains(Path.GetFileName(fileName), StringComparer.OrdinalIgnoreCase)
                && !paths.Contains(fileName, StringComparer.Ordinal))
            {
                paths.Add(fileName);
            }
        }

        return paths;
    }
}
