using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// "Calls into the project" (RULES.md): what a piece of code does, following calls to methods whose
/// source is in the compilation up to <see cref="MaxDepth"/> levels, in any type. One instance per
/// compilation; method summaries and call classifications are cached, so a helper called from many
/// catch bodies is read once. A method named <c>SendToDeadLetterAsync</c> that only logs is summarised
/// as only logging: names never count, what the body does does.
/// Each asker sees the shared caches through its own <see cref="ProjectCalls"/> carrying its cancellation
/// token, which the walks over operations observe; a walk cancelled half-way caches nothing.
/// </summary>
internal sealed class ProjectCalls
{
    /// <summary>How many levels of project calls are followed; deeper calls are <see cref="BodyEffects.Unknown"/>.</summary>
    public const int MaxDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, Cache> Caches = new();

    private readonly Cache _cache;
    private readonly KafkaSymbols _symbols;
    private readonly CancellationToken _cancellationToken;

    private ProjectCalls(Cache cache, CancellationToken cancellationToken)
    {
        _cache = cache;
        _symbols = cache.Symbols;
        _cancellationToken = cancellationToken;
    }

    private enum CallKind
    {
        Benign,
        Waits,
        Produces,
        DeadLetters,
        Seeks,
        Stops,
        Throws,
        Consumes,
        Commits,

        /// <summary>Starts or schedules work (Task.Run, ContinueWith...): what its lambdas do decides.</summary>
        Transparent,
        Project,
        Unknown,
    }

    /// <summary>The compilation's calls into the project, asked with <paramref name="cancellationToken"/>.</summary>
    public static ProjectCalls For(KafkaSymbols symbols, AnalyzerOptions? options, CancellationToken cancellationToken)
        => new(Caches.GetValue(symbols.Compilation, _ => new Cache(symbols, options)), cancellationToken);

    /// <summary>What the code under <paramref name="root"/> does, following project calls.</summary>
    public BodyEffects Summarize(IOperation root) => Summarize(root, depth: 0);

    /// <summary>What <paramref name="method"/> does when called; null when its source is not in the compilation.</summary>
    public BodyEffects? EffectsOf(IMethodSymbol method)
        => BodyOf(method) is null ? null : SummarizeMethod(method, depth: 0);

    /// <summary>The body operation of a method (or local function) whose source is in the compilation and that has one.</summary>
    public IOperation? BodyOf(IMethodSymbol method)
    {
        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        return _cache.Bodies.TryGetValue(method, out var body) ? body : _cache.Bodies.GetOrAdd(method, LoadBody(method));
    }

    private IOperation? LoadBody(IMethodSymbol method)
    {
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (!_symbols.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // callee bodies in other types and files: the analyzer driver hands out its cached semantic models
        var model = _symbols.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(syntax, _cancellationToken) switch
        {
            ILocalFunctionOperation local => (IOperation?)local.Body ?? local.IgnoredBody,
            { } operation => operation,
            null => null,
        };
    }

    private BodyEffects SummarizeMethod(IMethodSymbol method, int depth)
    {
        if (depth > MaxDepth)
        {
            return BodyEffects.Unknown;
        }

        method = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (_cache.Summaries.TryGetValue((method, depth), out var known))
        {
            return known;
        }

        var body = BodyOf(method);
        return _cache.Summaries.GetOrAdd((method, depth), body is null ? BodyEffects.Unknown : Summarize(body, depth));
    }

    private BodyEffects Summarize(IOperation root, int depth)
    {
        var effects = BodyEffects.None;
        var options = OptionsFor(root.Syntax.SyntaxTree);
        foreach (var operation in root.DescendantsAndSelf())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IThrowOperation:
                    effects |= BodyEffects.Throws;
                    break;
                case IAwaitOperation:
                    effects |= BodyEffects.Waits | BodyEffects.Awaits;
                    break;
                case IPropertyReferenceOperation property when property.Property.Name == "IsFatal"
                                                               && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _symbols.Flow.Error):
                    effects |= BodyEffects.ChecksFatal;
                    break;
                case IEventReferenceOperation { Parent: IRaiseEventOperation }:
                    effects |= BodyEffects.Unknown;
                    break;
                case IInvocationOperation invocation:
                    effects |= Classify(invocation, depth, options);
                    break;
            }
        }

        return effects;
    }

    private BodyEffects Classify(IInvocationOperation invocation, int depth, KafkaAnalyzerOptions options)
    {
        var method = invocation.TargetMethod;
        if (!options.DeadLetterMethods.IsEmpty && IsListedDeadLetterMethod(method, options))
        {
            return BodyEffects.DeadLetters;
        }

        if (invocation.Instance?.Type is { } receiver && IsConsumerOrProducer(receiver, out var isProducer))
        {
            return isProducer ? ProducerCall(method.Name) : ConsumerCallEffects(ConsumerCall.Classify(method.Name));
        }

        if (invocation.Instance?.Type is { } sinkReceiver && FlowSymbols.IsOrImplements(sinkReceiver, _symbols.Flow.DeadLetterSink))
        {
            return BodyEffects.DeadLetters;
        }

        // Console.Error.WriteLine(...), Console.Out.Write(...): printing, whatever TextWriter does otherwise.
        if (invocation.Instance?.WalkDownConversions() is IPropertyReferenceOperation { Property.ContainingType: { Name: "Console" } console }
            && console.ContainingNamespace?.Name == "System")
        {
            return BodyEffects.None;
        }

        switch (_cache.Kinds.GetOrAdd(method.OriginalDefinition, KindOf))
        {
            case CallKind.Benign:
            case CallKind.Transparent:
                return BodyEffects.None;
            case CallKind.Waits:
                return BodyEffects.Waits;
            case CallKind.Produces:
                return BodyEffects.Produces;
            case CallKind.DeadLetters:
                return BodyEffects.DeadLetters;
            case CallKind.Seeks:
                return BodyEffects.Seeks;
            case CallKind.Stops:
                return BodyEffects.Stops;
            case CallKind.Throws:
                return BodyEffects.Throws;
            case CallKind.Consumes:
                return BodyEffects.Consumes;
            case CallKind.Commits:
                return BodyEffects.Commits;
            case CallKind.Project:
                return SummarizeMethod(method, depth + 1);
            default:
                return BodyEffects.Unknown;
        }
    }

    private static BodyEffects ProducerCall(string name)
        => name switch
        {
            "Produce" or "ProduceAsync" => BodyEffects.Produces,
            "Flush" or "CommitTransaction" => BodyEffects.Flushes,
            _ => BodyEffects.None,
        };

    private static BodyEffects ConsumerCallEffects(ConsumerMethod method)
        => method switch
        {
            ConsumerMethod.Consume => BodyEffects.Consumes,
            ConsumerMethod.Commit or ConsumerMethod.StoreOffset => BodyEffects.Commits,
            ConsumerMethod.Seek or ConsumerMethod.Assign or ConsumerMethod.IncrementalAssign => BodyEffects.Seeks,
            ConsumerMethod.Close or ConsumerMethod.Unsubscribe or ConsumerMethod.Unassign or ConsumerMethod.Pause or ConsumerMethod.Dispose => BodyEffects.Stops,
            _ => BodyEffects.None,
        };

    private bool IsConsumerOrProducer(ITypeSymbol type, out bool isProducer)
    {
        isProducer = KafkaSymbols.ImplementsGeneric(type, _symbols.IProducer);
        return isProducer || ConsumerModel.IsConsumer(_symbols, type);
    }

    private static bool IsListedDeadLetterMethod(IMethodSymbol method, KafkaAnalyzerOptions options)
    {
        var name = method.ContainingType?.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + method.Name;
        return options.DeadLetterMethods.Contains(name, System.StringComparer.Ordinal);
    }

    private KafkaAnalyzerOptions OptionsFor(SyntaxTree tree)
        => _cache.Options is not { } options ? KafkaAnalyzerOptions.For(EmptyOptions, tree) : _cache.TreeOptions.GetOrAdd(tree, t => KafkaAnalyzerOptions.For(options, t));

    private static readonly AnalyzerOptions EmptyOptions = new(ImmutableArray<AdditionalText>.Empty);

    private CallKind KindOf(IMethodSymbol method)
    {
        var flow = _symbols.Flow;
        var type = method.ContainingType;
        if (type is null)
        {
            return CallKind.Unknown;
        }

        if (method.MethodKind is MethodKind.DelegateInvoke)
        {
            return CallKind.Unknown;
        }

        if (FlowSymbols.IsOrImplements(type, flow.DeadLetterSink))
        {
            return CallKind.DeadLetters;
        }

        if (KafkaSymbols.ImplementsGeneric(type, _symbols.IProducer))
        {
            return method.Name is "Produce" or "ProduceAsync" ? CallKind.Produces : CallKind.Benign;
        }

        if (ConsumerModel.IsConsumer(_symbols, type))
        {
            return ConsumerCallEffects(ConsumerCall.Classify(method.Name)) switch
            {
                BodyEffects.Consumes => CallKind.Consumes,
                BodyEffects.Commits => CallKind.Commits,
                BodyEffects.Seeks => CallKind.Seeks,
                BodyEffects.Stops => CallKind.Stops,
                _ => CallKind.Benign,
            };
        }

        if (Is(type, flow.Environment))
        {
            return method.Name is "Exit" or "FailFast" ? CallKind.Stops : CallKind.Benign;
        }

        if (FlowSymbols.IsOrImplements(type, flow.HostApplicationLifetime) && method.Name == "StopApplication")
        {
            return CallKind.Stops;
        }

        if (FlowSymbols.InheritsFrom(type, flow.CancellationTokenSource) && method.Name is "Cancel" or "CancelAsync" or "CancelAfter")
        {
            return CallKind.Stops;
        }

        if (Is(type, flow.ExceptionDispatchInfo) && method.Name == "Throw")
        {
            return CallKind.Throws;
        }

        if (IsWait(method, type))
        {
            return CallKind.Waits;
        }

        if (IsTransparent(method, type))
        {
            return CallKind.Transparent;
        }

        if (IsSourceMethod(method))
        {
            return method.IsAbstract || method.IsVirtual || type.TypeKind == TypeKind.Interface ? CallKind.Unknown : CallKind.Project;
        }

        return IsBenignLibraryCall(method, type) ? CallKind.Benign : CallKind.Unknown;
    }

    private bool IsSourceMethod(IMethodSymbol method)
        => !method.DeclaringSyntaxReferences.IsEmpty
           && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _symbols.Compilation.Assembly);

    private bool IsWait(IMethodSymbol method, INamedTypeSymbol type)
    {
        var flow = _symbols.Flow;
        if (Is(type, flow.Task) && method.Name is "Delay" or "Wait" or "WaitAll" or "WaitAny" or "WhenAll" or "WhenAny" or "Yield")
        {
            return true;
        }

        if (Is(type, flow.Thread) && method.Name is "Sleep" or "Join" or "SpinWait")
        {
            return true;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        return ns == "System.Threading" && method.Name is "Wait" or "WaitAsync" or "WaitOne" or "WaitAll" or "WaitAny" or "SpinOnce" or "SpinUntil" or "Sleep";
    }

    private bool IsTransparent(IMethodSymbol method, INamedTypeSymbol type)
    {
        var flow = _symbols.Flow;
        return (Is(type, flow.Task) || Is(type, flow.TaskOfT)) && method.Name is "Run" or "ContinueWith" or "ConfigureAwait" or "GetAwaiter" or "FromResult" or "FromException" or "FromCanceled"
               || (Is(type, flow.TaskFactory) || Is(type, flow.TaskFactoryOfT)) && method.Name == "StartNew"
               || (Is(type, flow.ValueTask) || Is(type, flow.ValueTaskOfT)) && method.Name is "ConfigureAwait" or "GetAwaiter" or "AsTask" or "FromResult"
               || (type.Name is "TaskAwaiter" or "ConfiguredTaskAwaiter" or "ValueTaskAwaiter" or "ConfiguredValueTaskAwaiter" && method.Name is "GetResult" or "GetAwaiter");
    }

    /// <summary>Logging, printing, metrics, formatting and plain value computations: calls that cannot save a message.</summary>
    private static bool IsBenignLibraryCall(IMethodSymbol method, INamedTypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Object:
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_Int16:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt16:
            case SpecialType.System_UInt32:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
            case SpecialType.System_Single:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
            case SpecialType.System_Enum:
                return true;
        }

        if (method.Name is "ToString" or "GetType" or "GetHashCode" or "Equals" or "GetBaseException")
        {
            return true;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (StartsWith(ns, "Microsoft.Extensions.Logging") || StartsWith(ns, "Serilog") || StartsWith(ns, "NLog") || StartsWith(ns, "log4net")
            || StartsWith(ns, "System.Diagnostics") || StartsWith(ns, "OpenTelemetry") || StartsWith(ns, "Prometheus"))
        {
            return true;
        }

        if (ns == "System")
        {
            return type.Name is "Console" or "Math" or "MathF" or "Convert" or "TimeSpan" or "DateTimeOffset" or "Guid" or "Exception" or "BitConverter" or "Nullable" or "Random" or "ArgumentException" or "ArgumentNullException" or "ArgumentOutOfRangeException" or "ObjectDisposedException"
                   || type.Name.EndsWith("Exception", System.StringComparison.Ordinal);
        }

        if (ns == "System.Threading" && type.Name == "Interlocked")
        {
            return true;
        }

        // Formatting what is logged; Confluent's value types (Error, TopicPartitionOffset, Headers...).
        return ns is "System.Text" or "System.Linq" or "System.Globalization" or "System.Text.Json" or "Confluent.Kafka";
    }

    private static bool StartsWith(string ns, string prefix)
        => ns.StartsWith(prefix, System.StringComparison.Ordinal) && (ns.Length == prefix.Length || ns[prefix.Length] == '.');

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? definition)
        => definition is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);

    /// <summary>What is shared by every asker of one compilation: summaries, call kinds, bodies, options per tree.</summary>
    private sealed class Cache
    {
        public Cache(KafkaSymbols symbols, AnalyzerOptions? options)
        {
            Symbols = symbols;
            Options = options;
        }

        public KafkaSymbols Symbols { get; }

        public AnalyzerOptions? Options { get; }

        public ConcurrentDictionary<(IMethodSymbol Method, int Depth), BodyEffects> Summaries { get; } = new();

        public ConcurrentDictionary<IMethodSymbol, CallKind> Kinds { get; } = new(SymbolEqualityComparer.Default);

        public ConcurrentDictionary<IMethodSymbol, IOperation?> Bodies { get; } = new(SymbolEqualityComparer.Default);

        public ConcurrentDictionary<SyntaxTree, KafkaAnalyzerOptions> TreeOptions { get; } = new();
    }
}
