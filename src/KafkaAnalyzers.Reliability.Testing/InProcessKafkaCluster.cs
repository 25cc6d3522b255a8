using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Testing.Native;

namespace KafkaAnalyzers.Reliability.Testing;

/// <summary>
/// A Kafka cluster running inside this process: librdkafka's mock cluster, reached through the same
/// native library Confluent.Kafka loads. Its brokers listen on loopback ports and speak the real Kafka
/// protocol (produce, idempotent and transactional producers, fetch, consumer groups, offset commits),
/// so any Confluent.Kafka client connects to <see cref="BootstrapServers"/> as to a real cluster.
/// Faults are injected through the <see cref="IKafkaFaultInjector"/> members.
/// </summary>
/// <remarks>
/// <para>librdkafka marks its mock-cluster API experimental and outside its API/ABI guarantees; this type is
/// built and tested against librdkafka 2.16 (the librdkafka.redist version Confluent.Kafka 2.16 ships).
/// The brokers offer ProduceRequest up to v9 and FetchRequest up to v11, because librdkafka 2.16's mock
/// crashes the process answering newer versions for a partition without a leader.</para>
/// <para>Every member is thread-safe. After <see cref="Dispose"/> every member except <see cref="Dispose"/>
/// throws <see cref="ObjectDisposedException"/>; a fault call running on another thread when Dispose is
/// called completes first. Dispose clients before the cluster: a client left connected only sees its
/// brokers disappear. A cluster that is never disposed is released by its finalizer.</para>
/// </remarks>
public sealed unsafe class InProcessKafkaCluster : IKafkaTestCluster, IKafkaFaultInjector
{
    /// <summary>The largest broker count librdkafka accepts for a mock cluster (<c>test.mock.num.brokers</c>).</summary>
    public const int MaxBrokerCount = 10000;

    /// <summary>Highest ProduceRequest version the brokers offer (see <see cref="AvoidLeaderlessPartitionCrash"/>).</summary>
    internal const short MaxProduceVersion = 9;

    /// <summary>Highest FetchRequest version the brokers offer (see <see cref="AvoidLeaderlessPartitionCrash"/>).</summary>
    internal const short MaxFetchVersion = 11;

    private readonly MockClusterHandle _handle;
    private readonly string _bootstrapServers;
    private readonly int _brokerCount;
    private volatile bool _disposed;

    private InProcessKafkaCluster(MockClusterHandle handle, string bootstrapServers, int brokerCount)
    {
        _handle = handle;
        _bootstrapServers = bootstrapServers;
        _brokerCount = brokerCount;
    }

    /// <summary>Starts a cluster with <paramref name="brokerCount"/> brokers, ids 1 to <paramref name="brokerCount"/>.</summary>
    /// <param name="brokerCount">Number of brokers, from 1 to <see cref="MaxBrokerCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="brokerCount"/> is out of range.</exception>
    /// <exception cref="DllNotFoundException">librdkafka, or its mock-cluster API, could not be loaded.</exception>
    public static InProcessKafkaCluster Start(int brokerCount = 3)
    {
        if (brokerCount is < 1 or > MaxBrokerCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(brokerCount), brokerCount, $"brokerCount must be between 1 and {MaxBrokerCount}.");
        }

        var handle = MockClusterHandle.Create(brokerCount);
        var bootstrapServers = MockClusterHandle.Utf8(MockClusterApi.Instance.ClusterBootstraps(handle.DangerousGetHandle()));
        var cluster = new InProcessKafkaCluster(handle, bootstrapServers, brokerCount);
        try
        {
            cluster.AvoidLeaderlessPartitionCrash();
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    /// <inheritdoc />
    public string BootstrapServers
    {
        get
        {
            ThrowIfDisposed();
            return _bootstrapServers;
        }
    }

    /// <inheritdoc />
    public int BrokerCount
    {
        get
        {
            ThrowIfDisposed();
            return _brokerCount;
        }
    }

    /// <summary>This cluster's fault injection (never <see langword="null"/>).</summary>
    public IKafkaFaultInjector Faults
    {
        get
        {
            ThrowIfDisposed();
            return this;
        }
    }

    /// <summary>
    /// Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions, each with
    /// <paramref name="replicationFactor"/> replicas on consecutive brokers and a leader picked at random among
    /// them (use <see cref="SetPartitionLeader"/> to choose it).
    /// </summary>
    /// <inheritdoc cref="IKafkaTestCluster.CreateTopic" />
    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1)
    {
        TopicNames.Validate(topic);
        if (partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, $"Topic '{topic}' needs at least one partition.");
        }

        if (replicationFactor < 1 || replicationFactor > _brokerCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(replicationFactor), replicationFactor,
                $"replicationFactor for topic '{topic}' must be between 1 and the cluster's {_brokerCount} broker(s).");
        }

        var error = Command(cluster =>
        {
            fixed (byte* name = MockClusterHandle.NulTerminated(topic))
            {
                return MockClusterApi.Instance.TopicCreate(cluster, name, partitions, replicationFactor);
            }
        });

        if (error != ErrorCode.NoError)
        {
            throw new InvalidOperationException(
                $"Could not create topic '{topic}' ({partitions} partition(s), replication factor {replicationFactor}): " +
                $"{error} ({error.GetReason()}).");
        }
    }

    /// <inheritdoc />
    public void SetBrokerDown(int brokerId)
    {
        ValidateBrokerOrAll(brokerId);
        var error = Command(cluster => MockClusterApi.Instance.BrokerSetDown(cluster, brokerId));
        ThrowOnError(error, $"take broker {brokerId} down");
    }

    /// <inheritdoc />
    public void SetBrokerUp(int brokerId)
    {
        ValidateBrokerOrAll(brokerId);
        var error = Command(cluster => MockClusterApi.Instance.BrokerSetUp(cluster, brokerId));
        ThrowOnError(error, $"bring broker {brokerId} up");
    }

    /// <inheritdoc />
    public void PushRequestErrors(KafkaApi api, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ValidateApi(api);
        if (errors.Length == 0)
        {
            throw new ArgumentException($"Push at least one error code for {api} requests.", nameof(errors));
        }

        Call(cluster =>
        {
            fixed (ErrorCode* codes = errors)
            {
                // ErrorCode is an int enum with librdkafka's rd_kafka_resp_err_t values.
                MockClusterApi.Instance.PushRequestErrorsArray(cluster, (short)api, (nuint)errors.Length, (int*)codes);
            }

            return 0;
        });
    }

    /// <inheritdoc />
    public void ClearRequestErrors(KafkaApi api)
    {
        ValidateApi(api);
        Call(cluster =>
        {
            MockClusterApi.Instance.ClearRequestErrors(cluster, (short)api);
            return 0;
        });
    }

    /// <inheritdoc />
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        TopicNames.Validate(topic);
        if (partition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Partition of topic '{topic}' must be 0 or more.");
        }

        ValidateBrokerOrAll(brokerId, allMeaning: "no leader");
        var error = Command(cluster =>
        {
            fixed (byte* name = MockClusterHandle.NulTerminated(topic))
            {
                return MockClusterApi.Instance.PartitionSetLeader(cluster, name, partition, brokerId);
            }
        });

        if (error == ErrorCode.UnknownTopicOrPart)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Topic '{topic}' has no partition {partition}.");
        }

        ThrowOnError(error, $"set the leader of '{topic}' [{partition}] to broker {brokerId}");
    }

    /// <inheritdoc />
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan rtt)
    {
        ValidateBrokerOrAll(brokerId);
        var milliseconds = WholeMilliseconds(rtt, nameof(rtt));
        var error = Command(cluster => MockClusterApi.Instance.BrokerSetRtt(cluster, brokerId, milliseconds));
        ThrowOnError(error, $"set the round-trip time of broker {brokerId}");
    }

    /// <inheritdoc />
    public void SetTopicError(string topic, ErrorCode error)
    {
        TopicNames.Validate(topic);
        Command(cluster =>
        {
            fixed (byte* name = MockClusterHandle.NulTerminated(topic))
            {
                MockClusterApi.Instance.TopicSetError(cluster, name, (int)error);
            }

            return 0;
        });
    }

    /// <inheritdoc />
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        var milliseconds = WholeMilliseconds(delay, nameof(delay));
        Call(cluster =>
        {
            MockClusterApi.Instance.GroupInitialRebalanceDelayMs(cluster, milliseconds);
            return 0;
        });
    }

    /// <inheritdoc />
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        SetCoordinator("group", groupId, brokerId);
    }

    /// <inheritdoc />
    public void SetTransactionCoordinator(string transactionalId, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionalId);
        SetCoordinator("transaction", transactionalId, brokerId);
    }

    private void SetCoordinator(string keyType, string key, int brokerId)
    {
        ThrowIfDisposed();
        if (brokerId < 1 || brokerId > _brokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids of this cluster are 1 to {_brokerCount}.");
        }

        var error = Command(cluster =>
        {
            fixed (byte* type = MockClusterHandle.NulTerminated(keyType))
            fixed (byte* name = MockClusterHandle.NulTerminated(key))
            {
                return MockClusterApi.Instance.CoordinatorSet(cluster, type, name, brokerId);
            }
        });
        ThrowOnError(error, $"make broker {brokerId} the {keyType} coordinator of '{key}'");
    }

    /// <summary>
    /// Stops the cluster: destroys the mock cluster (closing its listeners and client connections), then the
    /// librdkafka handle it lives on. Safe to call more than once and from any thread.
    /// </summary>
    public void Dispose()
    {
        // The flag, not SafeHandle.IsClosed, turns new calls away: a SafeHandle only closes when its last
        // reference is released, so callers that keep adding references would keep it open forever.
        _disposed = true;
        _handle.Dispose();
    }

    /// <summary>
    /// librdkafka 2.16's mock answers ProduceRequest v10+ and FetchRequest v12+ for a partition without a
    /// leader by reading the missing leader's id (the KIP-951 CurrentLeader field), which crashes the
    /// process (seen: SIGSEGV with <see cref="SetPartitionLeader"/>(..., -1) while a producer or consumer
    /// runs). Offering only the versions before that field (Produce v9, Fetch v11) makes leaderless partitions
    /// safe; clients negotiate the version when they connect, so this must be in place before any client does.
    /// </summary>
    private void AvoidLeaderlessPartitionCrash()
    {
        ThrowOnError(
            Command(cluster => MockClusterApi.Instance.SetApiVersion(cluster, (short)KafkaApi.Produce, 0, MaxProduceVersion)),
            $"limit ProduceRequest to version {MaxProduceVersion}");
        ThrowOnError(
            Command(cluster => MockClusterApi.Instance.SetApiVersion(cluster, (short)KafkaApi.Fetch, 0, MaxFetchVersion)),
            $"limit FetchRequest to version {MaxFetchVersion}");
    }

    /// <summary>Sends a command to the mock cluster's thread and waits for it to be applied.</summary>
    private ErrorCode Command(Func<IntPtr, int> command) => Call(_ => _handle.SendCommand(command));

    /// <summary>Runs <paramref name="call"/> on the native cluster pointer, keeping it alive for the duration.</summary>
    private ErrorCode Call(Func<IntPtr, int> call)
    {
        ThrowIfDisposed();
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return (ErrorCode)call(_handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check above and the AddRef.
            throw new ObjectDisposedException(nameof(InProcessKafkaCluster));
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ValidateBrokerOrAll(int brokerId, string allMeaning = "all brokers")
    {
        ThrowIfDisposed();
        if (brokerId != -1 && (brokerId < 1 || brokerId > _brokerCount))
        {
            throw new ArgumentOutOfRangeException(
                nameof(brokerId), brokerId,
                $"Broker ids of this cluster are 1 to {_brokerCount} (or -1 for {allMeaning}).");
        }
    }

    private static void ValidateApi(KafkaApi api)
    {
        if ((short)api < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(api), api, "A Kafka ApiKey is 0 or more.");
        }
    }

    private static int WholeMilliseconds(TimeSpan value, string parameterName)
    {
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be between zero and {int.MaxValue} ms.");
        }

        return (int)value.TotalMilliseconds;
    }

    private static void ThrowOnError(ErrorCode error, string action)
    {
        if (error != ErrorCode.NoError)
        {
            throw new InvalidOperationException($"The in-process cluster could not {action}: {error} ({error.GetReason()}).");
        }
    }
}
