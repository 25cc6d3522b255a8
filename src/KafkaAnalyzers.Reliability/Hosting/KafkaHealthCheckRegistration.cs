using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.Health;
using KafkaAnalyzers.Reliability.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>Health checks for hosted consume loops and tracking producers (Microsoft.Extensions.Diagnostics.HealthChecks).</summary>
public static class KafkaHealthCheckRegistration
{
    /// <summary>
    /// Registers a <see cref="KafkaConsumerHealthCheck"/> for the consumer that <c>AddReliableKafkaConsumer</c> registered:
    /// <c>services.AddReliableKafkaConsumer&lt;K, V, Handler&gt;(...).WithHealthCheck(check =&gt; check.MaxPartitionLag = 10_000)</c>.
    /// </summary>
    /// <param name="consumer">The options builder <c>AddReliableKafkaConsumer</c> returned.</param>
    /// <param name="configure">Thresholds.</param>
    /// <param name="name">The check's name; default <c>kafka-consumer:&lt;handler type&gt;</c>.</param>
    /// <param name="tags">Tags for filtering checks (e.g. "ready").</param>
    /// <returns>The same options builder.</returns>
    public static OptionsBuilder<ReliableConsumerOptions> WithHealthCheck(
        this OptionsBuilder<ReliableConsumerOptions> consumer,
        Action<KafkaConsumerHealthCheckOptions>? configure = null,
        string? name = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        AddConsumerCheck(consumer.Services, consumer.Name, configure, name, tags);
        return consumer;
    }

    /// <summary>
    /// Registers a <see cref="DeliveryTrackingProducerHealthCheck{TKey,TValue}"/> for a producer from the container
    /// (or from <paramref name="producer"/>). One check instance is kept per registration, so the failure ratio
    /// spans checks.
    /// </summary>
    /// <typeparam name="TKey">Key type.</typeparam>
    /// <typeparam name="TValue">Value type.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="producer">Finds the producer; default: the registered <see cref="DeliveryTrackingProducer{TKey,TValue}"/>.</param>
    /// <param name="configure">Thresholds.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDeliveryTrackingProducer<TKey, TValue>(
        this IHealthChecksBuilder builder,
        string name,
        Func<IServiceProvider, DeliveryTrackingProducer<TKey, TValue>>? producer = null,
        Action<DeliveryTrackingProducerHealthCheckOptions>? configure = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new DeliveryTrackingProducerHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        DeliveryTrackingProducerHealthCheck<TKey, TValue>? check = null;
        var gate = new object();
        return builder.Add(new HealthCheckRegistration(
            name,
            services =>
            {
                lock (gate)
                {
                    return check ??= new DeliveryTrackingProducerHealthCheck<TKey, TValue>(
                        producer?.Invoke(services) ?? services.GetRequiredService<DeliveryTrackingProducer<TKey, TValue>>(), options);
                }
            },
            failureStatus: null,
            tags));
    }

    internal static void AddConsumerCheck(IServiceCollection services, string optionsName, Action<KafkaConsumerHealthCheckOptions>? configure, string? name, IEnumerable<string>? tags)
    {
        var options = new KafkaConsumerHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name ?? "kafka-consumer:" + optionsName,
            provider =>
            {
                var hosted = provider.GetServices<IHostedKafkaConsumer>().FirstOrDefault(candidate => candidate.Name == optionsName)
                    ?? throw new InvalidOperationException($"No hosted Kafka consumer named '{optionsName}' is registered; call WithHealthCheck on the builder AddReliableKafkaConsumer or AddExactlyOnceProcessor returned.");
                return new KafkaConsumerHealthCheck(() => hosted.Current, options, TimeProvider.System);
            },
            failureStatus: null,
            tags));
    }
}
