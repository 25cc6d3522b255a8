using System.Diagnostics;
using System.Globalization;

namespace ReliablePipeline.Scenario;

/// <summary>Timestamped progress lines: phases, faults, periodic counts.</summary>
internal sealed class ProgressLog(TextWriter writer)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => clock.Elapsed;

    public void Phase(string text) => Write("phase", text);

    public void Fault(string text) => Write("fault", text);

    public void Progress(string text) => Write("progress", text);

    public void Note(string text) => Write("note", text);

    private void Write(string kind, string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"  [{clock.Elapsed.TotalSeconds,5:F1}s] {kind,-8} {text}");
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
