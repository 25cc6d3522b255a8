using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaAnalyzers.PackageTests;

/// <summary>
/// csharp-ls, the C# language server pinned in the repository's tool manifest
/// (<c>.config/dotnet-tools.json</c>), started with <c>dotnet tool run</c> and driven over stdio JSON-RPC
/// the way an editor drives it.
/// </summary>
/// <remarks>
/// Nothing here can hang a test run: every request has a time limit, a watchdog kills the whole process
/// tree once the server's lifetime is over, and every failure carries the server's log (stderr, its
/// log messages and the last protocol messages).
/// </remarks>
internal sealed partial class LanguageServer : IDisposable
{
    public const string ToolCommand = "csharp-ls";

    private const int TranscriptLength = 60;

    /// <summary><c>dotnet tool restore</c> runs once per test run, from the repository's own manifest.</summary>
    private static readonly Lazy<CliResult> ToolRestore = new(() => DotNetCli.Run(
        TimeSpan.FromMinutes(5), BuildInfo.RepositoryRoot, BuildInfo.NuGetPackageRoot, "tool", "restore"));

    private readonly Process _process;
    private readonly Thread _reader;
    private readonly Timer _watchdog;
    private readonly DateTime _deadline;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _logMessages = [];
    private readonly Queue<string> _transcript = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _nextId;
    private volatile string? _closedReason;

    private LanguageServer(Process process, TimeSpan lifetime)
    {
        _process = process;
        _deadline = DateTime.UtcNow + lifetime;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "csharp-ls stdout" };
        _watchdog = new Timer(_ => Kill($"the watchdog killed the server after {lifetime.TotalSeconds:F0} s"), null, lifetime, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The <c>csharp</c> settings section the server asks the client for (analyzers on).</summary>
    public static JsonObject CSharpSettings => new() { ["analyzersEnabled"] = true, ["logLevel"] = "info" };

    /// <summary>How long the server has been running.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Restores the tool from the manifest and starts the server; it is killed after <paramref name="lifetime"/>.</summary>
    public static LanguageServer Start(TimeSpan lifetime)
    {
        var restore = ToolRestore.Value;
        if (!restore.Succeeded)
        {
            throw new InvalidOperationException($"`dotnet tool restore` could not restore {ToolCommand} from .config/dotnet-tools.json. {restore.Describe()}");
        }

        // Run from the repository so `dotnet tool run` finds the manifest; the tool itself comes from the
        // packages folder the restore wrote to. The server loads the workspace named in `initialize`.
        var startInfo = DotNetCli.CreateStartInfo(
            BuildInfo.RepositoryRoot, BuildInfo.NuGetPackageRoot, "tool", "run", ToolCommand, "--", "--loglevel", "info", "--locale", "en-US");
        var process = new Process { StartInfo = startInfo };
        var server = new LanguageServer(process, lifetime);
        process.ErrorDataReceived += (_, e) => server.AppendStderr(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        server._reader.Start();
        return server;
    }

    /// <summary>Sends a request and waits for its result; an error answer, a timeout or a dead server throws with the log.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (_closedReason is { } closed)
        {
            _pending.TryRemove(id, out _);
            throw Failure($"{method} cannot be sent: {closed}");
        }

        Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var remaining = _deadline - DateTime.UtcNow;
        var limit = remaining < timeout ? remaining : timeout;
        try
        {
            return await answer.Task.WaitAsync(limit > TimeSpan.Zero ? limit : TimeSpan.Zero).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw Failure($"no answer to {method} within {limit.TotalSeconds:F0} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public void Notify(string method, JsonNode? parameters)
        => Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>An exception whose message carries the server's log, for a failed assertion or a hang.</summary>
    public Exception Failure(string what) => new InvalidOperationException($"csharp-ls: {what} (after {Elapsed.TotalSeconds:F1} s).{Environment.NewLine}{Log()}");

    /// <summary>stderr, the server's log messages and the last protocol messages.</summary>
    public string Log()
    {
        lock (_transcript)
        {
            return $"""
                --- csharp-ls stderr ---
                {_stderr}
                --- window/logMessage ---
                {string.Join(Environment.NewLine, _logMessages.TakeLast(100))}
                --- last {_transcript.Count} protocol messages ---
                {string.Join(Environment.NewLine, _transcript)}
                """;
        }
    }

    /// <summary>Asks the server to shut down and exit, then kills whatever is left of its process tree.</summary>
    public void Dispose()
    {
        try
        {
            if (_closedReason is null && !_process.HasExited)
            {
                RequestAsync("shutdown", null, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
                Notify("exit", null);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // The server is stuck or gone: the kill below ends it.
        }
        finally
        {
            Kill("disposed");
            _watchdog.Dispose();
            _reader.Join(TimeSpan.FromSeconds(10));
            _process.Dispose();
        }
    }

    private void Kill(string reason)
    {
        _closedReason ??= reason;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        FailPending(reason);
    }

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        Record("client", message);
        lock (_writeLock)
        {
            try
            {
                var stdin = _process.StandardInput.BaseStream;
                stdin.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
                stdin.Write(body);
                stdin.Flush();
            }
            catch (IOException ex)
            {
                throw Failure($"writing {message["method"]} failed: {ex.Message}");
            }
        }
    }

    private void ReadLoop()
    {
        var stdout = _process.StandardOutput.BaseStream;
        try
        {
            while (ReadMessage(stdout) is { } message)
            {
                Record("server", message);
                Dispatch(message);
            }

            FailPending(_closedReason ?? "the server closed its output (exit code " + ExitCode() + ")");
        }
        catch (Exception ex) when (ex is IOException or JsonException or FormatException or ObjectDisposedException)
        {
            FailPending($"reading the server's output failed: {ex.Message}");
        }
    }

    private static JsonNode? ReadMessage(Stream stdout)
    {
        var length = -1;
        while (ReadHeaderLine(stdout) is { } line)
        {
            if (line.Length == 0)
            {
                if (length < 0)
                {
                    throw new FormatException("a message without Content-Length");
                }

                var body = new byte[length];
                stdout.ReadExactly(body);
                return JsonNode.Parse(body) ?? throw new FormatException("an empty message");
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>One ASCII header line without its CR LF; null at the end of the stream.</summary>
    private static string? ReadHeaderLine(Stream stdout)
    {
        var line = new StringBuilder();
        while (true)
        {
            var next = stdout.ReadByte();
            if (next < 0)
            {
                return null;
            }

            if (next == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)next);
        }
    }

    private void Dispatch(JsonNode message)
    {
        var method = (string?)message["method"];
        var id = message["id"];
        if (method is not null && id is not null)
        {
            // A request from the server: answer it as an editor would.
            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = AnswerServerRequest(method, message["params"]) });
        }
        else if (method is not null)
        {
            if (method is "window/logMessage" or "window/showMessage" or "$/logTrace")
            {
                lock (_transcript)
                {
                    _logMessages.Add((string?)message["params"]?["message"] ?? "");
                }
            }
        }
        else if (id is not null && _pending.TryGetValue(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is { } error)
            {
                answer.TrySetException(Failure($"error answer {error.ToJsonString()}"));
            }
            else
            {
                answer.TrySetResult(message["result"]?.DeepClone());
            }
        }
    }

    private static JsonNode? AnswerServerRequest(string method, JsonNode? parameters)
    {
        if (method == "workspace/configuration")
        {
            var answers = new JsonArray();
            foreach (var item in parameters?["items"]?.AsArray() ?? [])
            {
                answers.Add((string?)item?["section"] == "csharp" ? CSharpSettings : null);
            }

            return answers;
        }

        // client/registerCapability, window/workDoneProgress/create, workspace/diagnostic/refresh...:
        // acknowledged with a null result.
        return null;
    }

    private void FailPending(string reason)
    {
        _closedReason ??= reason;
        foreach (var (id, answer) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                answer.TrySetException(Failure(reason));
            }
        }
    }

    private string ExitCode()
    {
        try
        {
            return _process.WaitForExit(TimeSpan.FromSeconds(5)) ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private void AppendStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_transcript)
        {
            if (_stderr.Length < 200_000)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    private void Record(string from, JsonNode message)
    {
        var text = message.ToJsonString();
        if (text.Length > 1500)
        {
            text = text[..1500] + "...";
        }

        lock (_transcript)
        {
            _transcript.Enqueue($"[{Elapsed.TotalSeconds,6:F1} s] {from}: {text}");
            while (_transcript.Count > TranscriptLength)
            {
                _transcript.Dequeue();
            }
        }
    }
}
