using System.Runtime.InteropServices;

namespace KafkaAnalyzers.Reliability.Testing.Native;

/// <summary>
/// The librdkafka functions the in-process cluster calls, bound once as unmanaged function
/// pointers (rdkafka.h, rdkafka_mock.h). Only non-variadic functions are bound: calling a C
/// variadic function through a fixed signature is undefined behaviour on some ABIs.
/// </summary>
/// <remarks>
/// Pointers: <c>rd_kafka_conf_t*</c>, <c>rd_kafka_t*</c> and <c>rd_kafka_mock_cluster_t*</c> are
/// <see cref="IntPtr"/>; <c>rd_kafka_resp_err_t</c> is a C enum (int); strings are NUL-terminated UTF-8.
/// </remarks>
internal sealed unsafe class MockClusterApi
{
    /// <summary>RD_KAFKA_PRODUCER in <c>rd_kafka_type_t</c>.</summary>
    public const int ProducerType = 0;

    /// <summary>RD_KAFKA_CONF_OK in <c>rd_kafka_conf_res_t</c>.</summary>
    public const int ConfOk = 0;

    private static readonly Lazy<MockClusterApi> s_instance =
        new(() => new MockClusterApi(LibrdkafkaModule.Load()), LazyThreadSafetyMode.ExecutionAndPublication);

    private MockClusterApi(IntPtr module)
    {
        ConfNew = (delegate* unmanaged[Cdecl]<IntPtr>)Export(module, "rd_kafka_conf_new");
        ConfSet = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, nuint, int>)Export(module, "rd_kafka_conf_set");
        ConfDestroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(module, "rd_kafka_conf_destroy");
        New = (delegate* unmanaged[Cdecl]<int, IntPtr, byte*, nuint, IntPtr>)Export(module, "rd_kafka_new");
        Destroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(module, "rd_kafka_destroy");
        ClusterNew = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Export(module, "rd_kafka_mock_cluster_new");
        ClusterDestroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(module, "rd_kafka_mock_cluster_destroy");
        ClusterBootstraps = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)Export(module, "rd_kafka_mock_cluster_bootstraps");
        TopicCreate = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, int>)Export(module, "rd_kafka_mock_topic_create");
        TopicSetError = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, void>)Export(module, "rd_kafka_mock_topic_set_error");
        PartitionSetLeader = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, int>)Export(module, "rd_kafka_mock_partition_set_leader");
        BrokerSetDown = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)Export(module, "rd_kafka_mock_broker_set_down");
        BrokerSetUp = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)Export(module, "rd_kafka_mock_broker_set_up");
        BrokerSetRtt = (delegate* unmanaged[Cdecl]<IntPtr, int, int, int>)Export(module, "rd_kafka_mock_broker_set_rtt");
        PushRequestErrorsArray = (delegate* unmanaged[Cdecl]<IntPtr, short, nuint, int*, void>)Export(module, "rd_kafka_mock_push_request_errors_array");
        ClearRequestErrors = (delegate* unmanaged[Cdecl]<IntPtr, short, void>)Export(module, "rd_kafka_mock_clear_request_errors");
        GroupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)Export(module, "rd_kafka_mock_group_initial_rebalance_delay_ms");
        SetApiVersion = (delegate* unmanaged[Cdecl]<IntPtr, short, short, short, int>)Export(module, "rd_kafka_mock_set_apiversion");
        CoordinatorSet = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int, int>)Export(module, "rd_kafka_mock_coordinator_set");
    }

    /// <summary>The bound functions; loads librdkafka on first use (throws <see cref="DllNotFoundException"/> if it cannot).</summary>
    public static MockClusterApi Instance => s_instance.Value;

    /// <summary><c>rd_kafka_conf_t *rd_kafka_conf_new(void)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr> ConfNew { get; }

    /// <summary><c>rd_kafka_conf_res_t rd_kafka_conf_set(conf, const char *name, const char *value, char *errstr, size_t errstr_size)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, nuint, int> ConfSet { get; }

    /// <summary><c>void rd_kafka_conf_destroy(rd_kafka_conf_t *conf)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> ConfDestroy { get; }

    /// <summary><c>rd_kafka_t *rd_kafka_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, char *errstr, size_t errstr_size)</c>; takes ownership of conf on success only.</summary>
    public delegate* unmanaged[Cdecl]<int, IntPtr, byte*, nuint, IntPtr> New { get; }

    /// <summary><c>void rd_kafka_destroy(rd_kafka_t *rk)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> Destroy { get; }

    /// <summary><c>rd_kafka_mock_cluster_t *rd_kafka_mock_cluster_new(rd_kafka_t *rk, int broker_cnt)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> ClusterNew { get; }

    /// <summary><c>void rd_kafka_mock_cluster_destroy(rd_kafka_mock_cluster_t *mcluster)</c>; must run before rd_kafka_destroy of its handle.</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, void> ClusterDestroy { get; }

    /// <summary><c>const char *rd_kafka_mock_cluster_bootstraps(const rd_kafka_mock_cluster_t *mcluster)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*> ClusterBootstraps { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_topic_create(mcluster, const char *topic, int partition_cnt, int replication_factor)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, int> TopicCreate { get; }

    /// <summary><c>void rd_kafka_mock_topic_set_error(mcluster, const char *topic, rd_kafka_resp_err_t err)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int, void> TopicSetError { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_partition_set_leader(mcluster, const char *topic, int32_t partition, int32_t broker_id)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, int> PartitionSetLeader { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_broker_set_down(mcluster, int32_t broker_id)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, int> BrokerSetDown { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_broker_set_up(mcluster, int32_t broker_id)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, int> BrokerSetUp { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_broker_set_rtt(mcluster, int32_t broker_id, int rtt_ms)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, int, int> BrokerSetRtt { get; }

    /// <summary><c>void rd_kafka_mock_push_request_errors_array(mcluster, int16_t ApiKey, size_t cnt, const rd_kafka_resp_err_t *errors)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, short, nuint, int*, void> PushRequestErrorsArray { get; }

    /// <summary><c>void rd_kafka_mock_clear_request_errors(mcluster, int16_t ApiKey)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, short, void> ClearRequestErrors { get; }

    /// <summary><c>void rd_kafka_mock_group_initial_rebalance_delay_ms(mcluster, int32_t delay_ms)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, int, void> GroupInitialRebalanceDelayMs { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_set_apiversion(mcluster, int16_t ApiKey, int16_t MinVersion, int16_t MaxVersion)</c></summary>
    public delegate* unmanaged[Cdecl]<IntPtr, short, short, short, int> SetApiVersion { get; }

    /// <summary><c>rd_kafka_resp_err_t rd_kafka_mock_coordinator_set(mcluster, const char *key_type, const char *key, int32_t broker_id)</c>; key_type "group" or "transaction".</summary>
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int, int> CoordinatorSet { get; }

    private static IntPtr Export(IntPtr module, string name)
    {
        if (!NativeLibrary.TryGetExport(module, name, out var address))
        {
            throw new EntryPointNotFoundException(
                $"The loaded librdkafka ({Confluent.Kafka.Library.VersionString}) does not export '{name}'. The mock-cluster API is " +
                "experimental in librdkafka and not ABI-stable; this package is built against librdkafka.redist 2.16.");
        }

        return address;
    }
}
