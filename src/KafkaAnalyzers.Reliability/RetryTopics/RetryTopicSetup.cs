using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaAnalyzers.Reliability.Configuration;
using Microsoft.Extensions.Logging;

namespace KafkaAnalyzers.Reliability.RetryTopics;

/// <summary>What the cluster says about the tier topics once they are checked (and created when missing).</summary>
internal sealed record RetryTopicLayout(IReadOnlyDictionary<string, int> PartitionCounts);

/// <summary>Checks the tier topics at start and creates the missing ones (or says exactly which are missing and why).</summary>
internal static class RetryTopicSetup
{
    public static RetryTopicLayout Ensure(ConsumerConfig consumer, RetryTierMap map, RetryTopicOptions options, ILogger logger)
    {
        var adminConfig = ConnectionSettings.CopyTo(consumer, new AdminClientConfig());
        using var admin = new AdminClientBuilder(adminConfig).SetLogHandler((_, _) => { }).Build();
        var timeout = options.TopicSetupTimeout;
        var servers = ConnectionSettings.BootstrapServers(consumer);

        var existing = Describe(admin, timeout, servers);
        var missing = map.TierTopics.Where(topic => !existing.ContainsKey(topic)).ToList();
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            if (!options.CreateMissingTopics)
            {
                throw new InvalidOperationException(
                    $"Retry topics are missing on {servers}: {string.Join(", ", missing)}. Create them (with the source topic's partition count), " +
                    $"or set {nameof(RetryTopicOptions)}.{nameof(RetryTopicOptions.CreateMissingTopics)} to create them at start.");
            }

            var specifications = new List<TopicSpecification>();
            foreach (var topic in missing)
            {
                map.TryGetTier(topic, out var source, out _);
                if (!existing.TryGetValue(source, out var shape))
                {
                    problems.Add($"'{topic}' cannot be created because its source topic '{source}' does not exist (its partition count and replication factor are copied)");
                    continue;
                }

                specifications.Add(new TopicSpecification { Name = topic, NumPartitions = shape.Partitions, ReplicationFactor = (short)shape.Replicas });
            }

            if (problems.Count == 0)
            {
                Create(admin, specifications, timeout, servers, logger);
                existing = Describe(admin, timeout, servers);
            }
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in map.TierTopics)
        {
            map.TryGetTier(topic, out var source, out _);
            if (!existing.TryGetValue(topic, out var tier))
            {
                if (problems.Count == 0)
                {
                    problems.Add($"'{topic}' was created but the cluster does not list it yet");
                }

                continue;
            }

            if (options.KeepKeyOrder && existing.TryGetValue(source, out var sourceShape) && sourceShape.Partitions != tier.Partitions)
            {
                problems.Add(
                    $"'{topic}' has {tier.Partitions} partition(s) but '{source}' has {sourceShape.Partitions}; {nameof(RetryTopicOptions.KeepKeyOrder)} needs the same count " +
                    "so that a source partition and its tier partitions go to the same consumer");
            }

            counts[topic] = tier.Partitions;
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The retry topics on {servers} cannot be used: {string.Join("; ", problems)}.");
        }

        return new RetryTopicLayout(counts);
    }

    private static Dictionary<string, (int Partitions, int Replicas)> Describe(IAdminClient admin, TimeSpan timeout, string? servers)
    {
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(timeout);
        }
        catch (KafkaException failure)
        {
            throw new InvalidOperationException(
                $"Could not list the topics of {servers} within {timeout.TotalSeconds:0.#} s to check the retry topics ({failure.Error.Code}: {failure.Error.Reason}).",
                failure);
        }

        return metadata.Topics
            .Where(topic => !topic.Error.IsError && topic.Partitions.Count > 0)
            .ToDictionary(topic => topic.Topic, topic => (topic.Partitions.Count, topic.Partitions[0].Replicas.Length), StringComparer.Ordinal);
    }

    private static void Create(IAdminClient admin, List<TopicSpecification> specifications, TimeSpan timeout, string? servers, ILogger logger)
    {
        try
        {
            admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout })
                .GetAwaiter().GetResult();
            RetryTopicLog.TopicsCreated(logger, string.Join(", ", specifications.Select(s => $"{s.Name} ({s.NumPartitions} partitions, replication {s.ReplicationFactor})")));
        }
        catch (CreateTopicsException failure)
        {
            var refused = failure.Results.Where(result => result.Error.IsError && result.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (refused.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Could not create the retry topics on {servers}: {string.Join("; ", refused.Select(r => $"'{r.Topic}': {r.Error.Code} ({r.Error.Reason})"))}. " +
                    $"Create them yourself, or grant the consumer's principal CREATE on them.",
                    failure);
            }
        }
        catch (KafkaException failure)
        {
            throw new InvalidOperationException(
                $"Could not create the retry topics {string.Join(", ", specifications.Select(s => s.Name))} on {servers} within {timeout.TotalSeconds:0.#} s " +
                $"({failure.Error.Code}: {failure.Error.Reason}). Create them yourself, or set {nameof(RetryTopicOptions)}.{nameof(RetryTopicOptions.CreateMissingTopics)} " +
                "to false to be told which are missing.",
                failure);
        }
    }
}
