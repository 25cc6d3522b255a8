using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Diagnostics;

namespace KafkaAnalyzers.Reliability.Tests.Diagnostics;

/// <summary>Pure unit tests of the W3C header encoding.</summary>
public sealed class TraceContextPropagationTests
{
    [Fact]
    public void Inject_then_extract_round_trips_ids_flags_state_and_baggage()
    {
        using var activity = new Activity("checkout").SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.TraceStateString = "vendor=abc";
        activity.AddBaggage("tenant", "acme");
        activity.Start();
        var headers = new Headers();

        TraceContextPropagation.Inject(headers, activity);
        var extracted = TraceContextPropagation.Extract(headers);

        // The flags byte is the activity's own: System.Diagnostics.DiagnosticSource 11 (which OpenTelemetry 1.21
        // brings in, and this test project references) also sets W3C level 2's "random" flag (0x02) on the trace
        // ids it generates, so the byte is 01 or 03 depending on the DiagnosticSource in use; sampled must survive.
        var flags = (byte)activity.ActivityTraceFlags;
        Assert.Equal($"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{flags:x2}", Encoding.UTF8.GetString(headers.GetLastBytes(TraceContextPropagation.TraceParentHeader)));
        Assert.NotNull(extracted);
        Assert.Equal(activity.TraceId, extracted.Value.TraceId);
        Assert.Equal(activity.SpanId, extracted.Value.SpanId);
        Assert.Equal(activity.ActivityTraceFlags, extracted.Value.TraceFlags);
        Assert.True(extracted.Value.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
        Assert.Equal("vendor=abc", extracted.Value.TraceState);
        Assert.True(extracted.Value.IsRemote);
        Assert.Contains(new KeyValuePair<string, string?>("tenant", "acme"), TraceContextPropagation.ExtractBaggage(headers)!);
    }

    [Fact]
    public void Inject_replaces_trace_headers_instead_of_adding_more()
    {
        var headers = new Headers { { "traceparent", "00-11111111111111111111111111111111-2222222222222222-00"u8.ToArray() }, { "other", "x"u8.ToArray() } };
        using var activity = new Activity("resend").SetIdFormat(ActivityIdFormat.W3C).Start();

        TraceContextPropagation.Inject(headers, activity);

        Assert.Single(headers, header => header.Key == TraceContextPropagation.TraceParentHeader);
        Assert.Equal(activity.SpanId, TraceContextPropagation.Extract(headers)!.Value.SpanId);
        Assert.Contains(headers, header => header.Key == "other");
    }

    [Fact]
    public void Nothing_is_injected_without_a_w3c_activity()
    {
        var headers = new Headers();
        using var hierarchical = new Activity("legacy").SetIdFormat(ActivityIdFormat.Hierarchical).Start();

        TraceContextPropagation.Inject(headers, null);
        TraceContextPropagation.Inject(headers, hierarchical);

        Assert.Empty(headers);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    public void Missing_or_invalid_traceparent_extracts_nothing(string? traceParent)
    {
        var headers = new Headers();
        if (traceParent is not null)
        {
            headers.Add(TraceContextPropagation.TraceParentHeader, Encoding.UTF8.GetBytes(traceParent));
        }

        Assert.Null(TraceContextPropagation.Extract(headers));
        Assert.Null(TraceContextPropagation.Extract(null));
    }
}
