using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.ExactlyOnce;
using KafkaAnalyzers.Reliability.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>Turns one input into its outputs for a hosted exactly-once processor; a new DI scope is created per message.</summary>
/// <typeparam name="TKey">Input key type.</typeparam>
/// <typeparam name="TValue">Input value type.</typeparam>
/// <typeparam name="TOutKey">Output key type.</typeparam>
/// <typeparam name="TOutValue">Output value type.</typeparam>
public interface IExactlyOnceHandler<TKey, TValue, TOutKey, TOutValue>
{
    /// <summary>Returns the outputs of <paramref name="message"/> (none is fine). Throw to fail the attempt: transient failures are retried, then dead-lettered inside the transaction.</summary>
    /// <param name="message">The input.</param>
    /// <param name="cancellationToken">Fires when the processor stops.</param>
    /// <returns>The output messages.</returns>
    Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>> HandleAsync(ConsumeResult<TKey, TValue> message, CancellationToken cancellationToken);
}

/// <summary>Registers exactly-once processors as hosted services.</summary>
public static class ExactlyOnceServiceCollectionExtensions
{
    /// <summary>
    /// Adds a hosted <see cref="ExactlyOnceProcessor{TKey,TValue,TOutKey,TOutValue}"/> that hands each input to
    /// <typeparamref name="THandler"/> (resolved from a new scope per message). Uses <c>IDeserializer&lt;TKey&gt;</c>,
    /// <c>IDeserializer&lt;TValue&gt;</c>, <c>ISerializer&lt;TOutKey&gt;</c>, <c>ISerializer&lt;TOutValue&gt;</c> and
    /// <see cref="IFailureClassifier"/> registrations when present. The options are named after <typeparamref name="THandler"/>'s
    /// full name and validated when the host starts. Host stop aborts an open transaction and closes the consumer.
    /// </summary>
    /// <typeparam name="TKey">Input key type.</typeparam>
    /// <typeparam name="TValue">Input value type.</typeparam>
    /// <typeparam name="TOutKey">Output key type.</typeparam>
    /// <typeparam name="TOutValue">Output value type.</typeparam>
    /// <typeparam name="THandler">The handler (registered as scoped unless already registered).</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The options builder (<c>.WithHealthCheck()</c> adds the health check).</returns>
    public static OptionsBuilder<ExactlyOnceProcessorOptions> AddExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue, THandler>(
        this IServiceCollection services,
        Action<ExactlyOnceProcessorOptions>? configure = null)
        where THandler : class, IExactlyOnceHandler<TKey, TValue, TOutKey, TOutValue>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<THandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExactlyOnceProcessorOptions>, ExactlyOnceOptionsValidator>());
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(ExactlyOnceProcessorService<TKey, TValue, TOutKey, TOutValue, THandler>)))
        {
            services.AddSingleton<ExactlyOnceProcessorService<TKey, TValue, TOutKey, TOutValue, THandler>>();
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<ExactlyOnceProcessorService<TKey, TValue, TOutKey, TOutValue, THandler>>());
            services.AddSingleton<IHostedKafkaConsumer>(provider => provider.GetRequiredService<ExactlyOnceProcessorService<TKey, TValue, TOutKey, TOutValue, THandler>>());
        }

        var options = services.AddOptions<ExactlyOnceProcessorOptions>(typeof(THandler).FullName!);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options.ValidateOnStart();
    }

    /// <summary>Registers a <see cref="KafkaConsumerHealthCheck"/> for the processor <c>AddExactlyOnceProcessor</c> registered.</summary>
    /// <param name="processor">The options builder <c>AddExactlyOnceProcessor</c> returned.</param>
    /// <param name="configure">Thresholds.</param>
    /// <param name="name">The check's name; default <c>kafka-consumer:&lt;handler type&gt;</c>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The same options builder.</returns>
    public static OptionsBuilder<ExactlyOnceProcessorOptions> WithHealthCheck(
        this OptionsBuilder<ExactlyOnceProcessorOptions> processor,
        Action<KafkaConsumerHealthCheckOptions>? configure = null,
        string? name = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(processor);
        KafkaHealthCheckRegistration.AddConsumerCheck(processor.Services, processor.Name, configure, name, tags);
        return processor;
    }
}

internal sealed class ExactlyOnceOptionsValidator : IValidateOptions<ExactlyOnceProcessorOptions>
{
    public ValidateOptionsResult Validate(string? name, ExactlyOnceProcessorOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(problem => $"Exactly-once processor '{name}': {problem}"));
    }
}

/// <summary>Runs an exactly-once processor for the lifetime of the host; a processor that stops on its own surfaces as a BackgroundService failure.</summary>
internal sealed class ExactlyOnceProcessorService<TKey, TValue, TOutKey, TOutValue, THandler>(
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IOptionsMonitor<ExactlyOnceProcessorOptions> options,
    ILoggerFactory loggerFactory) : BackgroundService, IHostedKafkaConsumer
    where THandler : class, IExactlyOnceHandler<TKey, TValue, TOutKey, TOutValue>
{
    private readonly object gate = new();
    private ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue>? processor;
    private bool stopping;

    public string Name => typeof(THandler).FullName!;

    public IKafkaConsumerStatusSource? Current
    {
        get
        {
            lock (gate)
            {
                return processor;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue>? running;
        lock (gate)
        {
            stopping = true;
            running = processor;
        }

        if (running is not null)
        {
            await running.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = new ExactlyOnceProcessor<TKey, TValue, TOutKey, TOutValue>(
            options.Get(Name),
            HandleAsync,
            services.GetService<IDeserializer<TKey>>(),
            services.GetService<IDeserializer<TValue>>(),
            services.GetService<ISerializer<TOutKey>>(),
            services.GetService<ISerializer<TOutValue>>(),
            services.GetService<IFailureClassifier>(),
            loggerFactory);
        lock (gate)
        {
            if (stopping)
            {
                return;
            }

            processor = created;
            created.Start();
        }

        await created.Completion.ConfigureAwait(false);
    }

    private async Task<IEnumerable<OutputMessage<TOutKey, TOutValue>>> HandleAsync(ConsumeResult<TKey, TValue> message, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            // Materialized inside the scope: a lazy sequence must not outlive the services it uses.
            return (await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, cancellationToken).ConfigureAwait(false)).ToList();
        }
    }
}
