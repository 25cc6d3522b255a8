using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// The producer a <c>ProducerBuilder</c> builds: the local or private field holding it and the topics
/// it provably sends to.
/// </summary>
internal sealed class ProducerInstance
{
    private ProducerInstance(IInvocationOperation build, ISymbol? holder, ImmutableArray<string> topics, bool topicsKnown)
    {
        Build = build;
        Holder = holder;
        Topics = topics;
        TopicsKnown = topicsKnown;
    }

    public IInvocationOperation Build { get; }

    public ISymbol? Holder { get; }

    /// <summary>Constant topic names passed to Produce/ProduceAsync.</summary>
    public ImmutableArray<string> Topics { get; }

    /// <summary>Every use of the producer is visible and every topic it produces to is a constant.</summary>
    public bool TopicsKnown { get; }

    public static ProducerInstance? Find(KafkaSymbols symbols, OperationIndex index, IObjectCreationOperation builder)
    {
        var build = FindBuild(symbols, index, builder);
        if (build is null)
        {
            return null;
        }

        var holder = HolderOf(index, build);
        if (holder is null)
        {
            return new ProducerInstance(build, null, ImmutableArray<string>.Empty, topicsKnown: false);
        }

        var topics = ImmutableArray.CreateBuilder<string>();
        var known = true;
        foreach (var reference in index.ReferencesTo(holder))
        {
            known &= ClassifyUse(reference, build, topics);
        }

        return new ProducerInstance(build, holder, topics.ToImmutable(), known && topics.Count > 0);
    }

    private static IInvocationOperation? FindBuild(KafkaSymbols symbols, OperationIndex index, IObjectCreationOperation builder)
    {
        IOperation current = builder;
        var parent = current.ParentIgnoringConversions(out var child);
        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            // var builder = new ProducerBuilder<K, V>(config); ... builder.Build()
            foreach (var reference in index.ReferencesTo(declarator.Symbol))
            {
                if (FollowChain(symbols, reference) is { } viaLocal)
                {
                    return viaLocal;
                }
            }

            return null;
        }

        return FollowChain(symbols, builder);
    }

    /// <summary>new ProducerBuilder&lt;K, V&gt;(config).SetErrorHandler(...).Build()</summary>
    private static IInvocationOperation? FollowChain(KafkaSymbols symbols, IOperation start)
    {
        var current = start;
        while (current.ParentIgnoringConversions(out var child) is IInvocationOperation invocation
               && invocation.Instance == child
               && symbols.IsProducerBuilder(invocation.TargetMethod.ContainingType))
        {
            if (invocation.TargetMethod.Name == "Build")
            {
                return invocation;
            }

            current = invocation;
        }

        return null;
    }

    private static ISymbol? HolderOf(OperationIndex index, IInvocationOperation build)
    {
        var parent = build.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return declarator.Symbol;
            case IFieldInitializerOperation { InitializedFields.Length: 1 } initializer when IsPrivateFieldOf(index, initializer.InitializedFields[0]):
                return initializer.InitializedFields[0].OriginalDefinition;
            case ISimpleAssignmentOperation assignment when assignment.Value == child:
                return assignment.Target switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IFieldReferenceOperation field when IsPrivateFieldOf(index, field.Field) => field.Field.OriginalDefinition,
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static bool IsPrivateFieldOf(OperationIndex index, IFieldSymbol field)
        => field.DeclaredAccessibility == Accessibility.Private
           && SymbolEqualityComparer.Default.Equals(field.ContainingType.OriginalDefinition, index.Type.OriginalDefinition);

    /// <summary>Adds the topic of a produce call; false when the use hides where the producer sends.</summary>
    private static bool ClassifyUse(IOperation reference, IInvocationOperation build, ImmutableArray<string>.Builder topics)
    {
        var parent = reference.ParentIgnoringConversions(out var child);
        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == child:
                return ClassifyCall(invocation, topics);
            case IConditionalAccessOperation access when access.Operation == child:
                return access.WhenNotNull is IInvocationOperation call && ClassifyCall(call, topics);
            case IPropertyReferenceOperation property when property.Instance == child:
                return property.Property.Name == "Name";
            case ISimpleAssignmentOperation assignment when assignment.Target == child:
                return assignment.Value.WalkDownConversions() == build || assignment.Value.WalkDownConversions().ConstantValue is { HasValue: true, Value: null };
            case IUsingOperation:
            case IBinaryOperation:
            case IIsPatternOperation:
                return true;
            default:
                return false;
        }
    }

    private static bool ClassifyCall(IInvocationOperation invocation, ImmutableArray<string>.Builder topics)
    {
        switch (invocation.TargetMethod.Name)
        {
            case "Produce":
            case "ProduceAsync":
                if (invocation.Arguments.Length == 0)
                {
                    return false;
                }

                var destination = invocation.Arguments[0].Value.WalkDownConversions();
                if (destination.TryGetConstantString(out var topic))
                {
                    topics.Add(topic);
                    return true;
                }

                if (destination is IObjectCreationOperation { Arguments.Length: >= 1 } partition
                    && partition.Arguments[0].Value.TryGetConstantString(out var partitionTopic))
                {
                    topics.Add(partitionTopic);
                    return true;
                }

                return false;
            case "Flush":
            case "Poll":
            case "Dispose":
            case "InitTransactions":
            case "BeginTransaction":
            case "CommitTransaction":
            case "AbortTransaction":
            case "SendOffsetsToTransaction":
            case "AddBrokers":
            case "SetSaslCredentials":
                return true;
            default:
                return false;
        }
    }
}
