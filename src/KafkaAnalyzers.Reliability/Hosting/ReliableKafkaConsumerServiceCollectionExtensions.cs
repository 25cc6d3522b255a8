using KafkaAnalyzers.Reliability.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>Registers reliable Kafka consumers as hosted services.</summary>
public static class ReliableKafkaConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a hosted service that consumes with a <see cref="ReliableConsumer{TKey, TValue}"/> and hands each
    /// message to <typeparamref name="THandler"/> (resolved from a new scope per message). The service also
    /// needs an <see cref="DeadLetters.IDeadLetterSink"/> registration; it uses <c>IDeserializer&lt;TKey&gt;</c>,
    /// <c>IDeserializer&lt;TValue&gt;</c> and <see cref="IFailureClassifier"/> registrations when present.
    /// The options are named after <typeparamref name="THandler"/>'s full name and validated when the host starts.
    /// </summary>
    /// <typeparam name="TKey">The message key type.</typeparam>
    /// <typeparam name="TValue">The message value type.</typeparam>
    /// <typeparam name="THandler">The message handler (registered as scoped unless already registered).</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the consumer options (topics, Kafka settings, retries...).</param>
    /// <returns>The options builder, for further configuration (e.g. binding from configuration).</returns>
    public static OptionsBuilder<ReliableConsumerOptions> AddReliableKafkaConsumer<TKey, TValue, THandler>(
        this IServiceCollection services,
        Action<ReliableConsumerOptions>? configure = null)
        where THandler : class, IKafkaMessageHandler<TKey, TValue>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<THandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReliableConsumerOptions>, ReliableConsumerOptionsValidator>());
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(ReliableKafkaConsumerService<TKey, TValue, THandler>)))
        {
            // One instance, reachable as the hosted service and by its health check.
            services.AddSingleton<ReliableKafkaConsumerService<TKey, TValue, THandler>>();
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<ReliableKafkaConsumerService<TKey, TValue, THandler>>());
            services.AddSingleton<IHostedKafkaConsumer>(provider => provider.GetRequiredService<ReliableKafkaConsumerService<TKey, TValue, THandler>>());
        }

        var options = services.AddOptions<ReliableConsumerOptions>(ReliableKafkaConsumerService<TKey, TValue, THandler>.OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options.ValidateOnStart();
    }
}
