using System.Diagnostics;
using System.Text;

namespace KafkaAnalyzers.PackageTests;

/// <summary>The outcome of one dotnet CLI run, with everything it printed.</summary>
internal sealed record CliResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything needed to understand a failed assertion, for the assertion message.</summary>
    public string Describe()
        => $"`{CommandLine}` in {WorkingDirectory} exited {ExitCode} after {Elapsed.TotalSeconds:F1} s; output:{Environment.NewLine}{Output}";
}

/// <summary>Runs the dotnet CLI in a clean, isolated environment and captures stdout and stderr.</summary>
internal static class DotNetCli
{
    /// <summary>Generous: builds on a loaded 2-core CI machine can be slow. Only a hang should hit it.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public static CliResult Run(string workingDirectory, string nugetPackagesFolder, params string[] arguments)
        => Run(DefaultTimeout, workingDirectory, nugetPackagesFolder, arguments);

    /// <summary>Runs with a time limit of the caller's; past it the whole process tree is killed.</summary>
    public static CliResult Run(TimeSpan timeout, string workingDirectory, string nugetPackagesFolder, params string[] arguments)
    {
        var startInfo = CreateStartInfo(workingDirectory, nugetPackagesFolder, arguments);

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var commandLine = "dotnet " + string.Join(' ', arguments);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException(
                $"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalMinutes} minutes; output so far:{Environment.NewLine}{Snapshot(output)}");
        }

        // The parameterless wait drains the redirected streams.
        process.WaitForExit();
        return new CliResult(commandLine, workingDirectory, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    /// <summary>
    /// A <c>dotnet</c> process with redirected standard streams and the isolated environment below, for
    /// callers that talk to the process while it runs (a language server).
    /// </summary>
    public static ProcessStartInfo CreateStartInfo(string workingDirectory, string nugetPackagesFolder, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        PrepareEnvironment(startInfo.Environment, nugetPackagesFolder);
        return startInfo;
    }

    private static void PrepareEnvironment(IDictionary<string, string?> environment, string nugetPackagesFolder)
    {
        // The test host inherits MSBuild and test-platform variables from the `dotnet test` that started
        // it; a nested build must not see them.
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.Equals("NUGET_PACKAGES", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(name);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        // No build server, MSBuild node or compiler server may outlive a test.
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        environment["NUGET_PACKAGES"] = nugetPackagesFolder;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
