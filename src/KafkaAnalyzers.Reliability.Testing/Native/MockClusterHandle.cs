using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace KafkaAnalyzers.Reliability.Testing.Native;

/// <summary>
/// Owns one mock cluster (<see cref="SafeHandle.handle"/>, an <c>rd_kafka_mock_cluster_t*</c>) and the
/// throwaway <c>rd_kafka_t</c> it was created on. One handle owns both so that release order is
/// fixed: librdkafka aborts the process (rd_assert) if the <c>rd_kafka_t</c> is destroyed while a
/// mock cluster created on it is still alive, and two separate finalizers run in no set order.
/// </summary>
/// <remarks>
/// Being a <see cref="SafeHandle"/> gives two things: a critical finalizer that releases a leaked
/// cluster, and reference counting so that a native call in progress on another thread keeps the
/// cluster alive until it returns (Dispose then releases after the last call).
/// </remarks>
internal sealed unsafe class MockClusterHandle : SafeHandle
{
    private const int ErrorBufferSize = 512;

    /// <summary>
    /// librdkafka 2.16's mock thread can miss the wake-up of a command that arrives while it is finishing the
    /// previous one (it drains its wake-up pipe after serving commands) and then sleeps until its next timer,
    /// up to a second. Seen here under load: 50 back-to-back commands took 1 to 13 s; spaced by 2 ms, about 0.2 s.
    /// </summary>
    private static readonly TimeSpan s_commandSpacing = TimeSpan.FromMilliseconds(2);

    private readonly Lock _commandGate = new();
    private long _lastCommandTimestamp;
    private IntPtr _client;

    private MockClusterHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a throwaway producer handle and a mock cluster with <paramref name="brokerCount"/> brokers on it.</summary>
    public static MockClusterHandle Create(int brokerCount)
    {
        var api = MockClusterApi.Instance;
        var result = new MockClusterHandle();
        var conf = api.ConfNew();
        if (conf == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka could not allocate a configuration (rd_kafka_conf_new returned NULL).");
        }

        var client = IntPtr.Zero;
        try
        {
            // Names the handle in librdkafka's own log lines; the handle never connects anywhere.
            SetConf(api, conf, "client.id", "kafka-analyzers-in-process-cluster");
            // The handle has no bootstrap.servers by design; keep librdkafka's notice about that off
            // stderr. Warnings and errors (mock-cluster failures) are still logged.
            SetConf(api, conf, "log_level", "4");
            var errors = stackalloc byte[ErrorBufferSize];
            client = api.New(MockClusterApi.ProducerType, conf, errors, ErrorBufferSize);
            if (client == IntPtr.Zero)
            {
                throw new InvalidOperationException(
                    $"librdkafka could not create the handle that hosts the mock cluster: {Utf8(errors)}");
            }

            conf = IntPtr.Zero; // rd_kafka_new took ownership.
            var cluster = api.ClusterNew(client, brokerCount);
            if (cluster == IntPtr.Zero)
            {
                throw new InvalidOperationException(
                    $"librdkafka could not create a mock cluster with {brokerCount} broker(s) " +
                    "(rd_kafka_mock_cluster_new returned NULL: no loopback listener or thread could be created).");
            }

            result._client = client;
            result.SetHandle(cluster);
            return result;
        }
        catch
        {
            if (client != IntPtr.Zero && result.IsInvalid)
            {
                api.Destroy(client);
            }

            if (conf != IntPtr.Zero)
            {
                api.ConfDestroy(conf);
            }

            result.SetHandleAsInvalid();
            throw;
        }
    }

    /// <summary>
    /// Runs a function that hands a command to the mock cluster's thread and waits for it to be applied
    /// (most mock-cluster setters do); one at a time and spaced out, see <see cref="s_commandSpacing"/>.
    /// The caller must hold a reference on this handle (<see cref="SafeHandle.DangerousAddRef"/>).
    /// </summary>
    public int SendCommand(Func<IntPtr, int> command)
    {
        lock (_commandGate)
        {
            WaitForCommandSpacing();
            try
            {
                return command(handle);
            }
            finally
            {
                _lastCommandTimestamp = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Reads a NUL-terminated UTF-8 string owned by librdkafka.</summary>
    public static string Utf8(byte* value) => Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        var api = MockClusterApi.Instance;
        lock (_commandGate)
        {
            // Destroying is a command to the mock thread too.
            WaitForCommandSpacing();
        }

        api.ClusterDestroy(handle);
        api.Destroy(_client);
        _client = IntPtr.Zero;
        return true;
    }

    private void WaitForCommandSpacing()
    {
        var remaining = s_commandSpacing - Stopwatch.GetElapsedTime(_lastCommandTimestamp);
        if (_lastCommandTimestamp != 0 && remaining > TimeSpan.Zero)
        {
            Thread.Sleep((int)Math.Ceiling(remaining.TotalMilliseconds));
        }
    }

    private static void SetConf(MockClusterApi api, IntPtr conf, string name, string value)
    {
        var errors = stackalloc byte[ErrorBufferSize];
        fixed (byte* namePtr = NulTerminated(name))
        fixed (byte* valuePtr = NulTerminated(value))
        {
            if (api.ConfSet(conf, namePtr, valuePtr, errors, ErrorBufferSize) != MockClusterApi.ConfOk)
            {
                throw new InvalidOperationException($"librdkafka rejected '{name}={value}': {Utf8(errors)}");
            }
        }
    }

    /// <summary>Encodes <paramref name="value"/> as NUL-terminated UTF-8 for a <c>const char*</c> argument.</summary>
    public static byte[] NulTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
