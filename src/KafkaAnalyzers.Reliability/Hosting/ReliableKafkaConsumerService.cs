using Confluent.Kafka;
using KafkaAnalyzers.Reliability.Consuming;
using KafkaAnalyzers.Reliability.DeadLetters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaAnalyzers.Reliability.Hosting;

/// <summary>
/// Runs a <see cref="ReliableConsumer{TKey, TValue}"/> for the lifetime of the host. The consumer polls
/// on its own dedicated thread (Consume blocks; it never occupies a thread-pool thread). When the host
/// stops, consumption pauses, in-flight messages get until the host's shutdown timeout to finish, the
/// completed offsets are committed and the consumer is closed; <c>StopAsync</c> returns after that.
/// If the consumer stops on its own (fatal Kafka error, dead-letter sink down), the failure surfaces
/// like any <see cref="BackgroundService"/> failure: logged, and by default the host stops.
/// </summary>
internal sealed class ReliableKafkaConsumerService<TKey, TValue, THandler> : BackgroundService, IHostedKafkaConsumer
    where THandler : class, IKafkaMessageHandler<TKey, TValue>
{
    private readonly IServiceProvider services;
    private readonly IServiceScopeFactory scopes;
    private readonly ReliableConsumerOptions options;
    private readonly IDeadLetterSink deadLetterSink;
    private readonly ILoggerFactory loggerFactory;
    private readonly object gate = new();
    private ReliableConsumer<TKey, TValue>? consumer;
    private bool stopping;

    public ReliableKafkaConsumerService(IServiceProvider services, IServiceScopeFactory scopes, IOptionsMonitor<ReliableConsumerOptions> options, ILoggerFactory loggerFactory)
    {
        deadLetterSink = services.GetService<IDeadLetterSink>() ?? throw new InvalidOperationException(
            $"The reliable Kafka consumer for {typeof(THandler).FullName} needs an {nameof(IDeadLetterSink)} service for messages it cannot process; " +
            $"register one, e.g. services.AddSingleton<{nameof(IDeadLetterSink)}>(_ => new {nameof(KafkaDeadLetterPublisher)}(bootstrapServers)).");
        this.services = services;
        this.scopes = scopes;
        this.options = options.Get(OptionsName);
        this.loggerFactory = loggerFactory;
    }

    /// <summary>The name of the options instance this consumer reads: the handler type's full name.</summary>
    public static string OptionsName => typeof(THandler).FullName!;

    /// <inheritdoc />
    public string Name => OptionsName;

    /// <inheritdoc />
    public Health.IKafkaConsumerStatusSource? Current => Consumer;

    /// <summary>The running consumer, once started.</summary>
    internal ReliableConsumer<TKey, TValue>? Consumer
    {
        get
        {
            lock (gate)
            {
                return consumer;
            }
        }
    }

    /// <param name="cancellationToken">The host's shutdown deadline: in-flight messages get until then.</param>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ReliableConsumer<TKey, TValue>? running;
        lock (gate)
        {
            stopping = true;
            running = consumer;
        }

        if (running is not null)
        {
            await running.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = new ReliableConsumer<TKey, TValue>(
            options,
            HandleAsync,
            WithConsumerGroup(deadLetterSink, options),
            services.GetService<IDeserializer<TKey>>(),
            services.GetService<IDeserializer<TValue>>(),
            services.GetService<IFailureClassifier>(),
            loggerFactory);
        lock (gate)
        {
            // ExecuteAsync may run after StopAsync began (it starts in the background): then never start.
            if (stopping)
            {
                return;
            }

            consumer = created;
            created.Start();
        }

        await created.Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// A <see cref="KafkaDeadLetterPublisher"/> without a <see cref="KafkaDeadLetterPublisherOptions.ConsumerGroupId"/>
    /// writes this consumer's group into its dead letters (<c>dlq.consumer.group</c>); one set explicitly is kept.
    /// </summary>
    internal static IDeadLetterSink WithConsumerGroup(IDeadLetterSink sink, ReliableConsumerOptions options) =>
        sink is KafkaDeadLetterPublisher { ConsumerGroupId: null } publisher && options.Consumer?.GroupId is { Length: > 0 } group
            ? publisher.ForConsumerGroup(group)
            : sink;

    private async Task HandleAsync(ConsumeResult<TKey, TValue> message, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
