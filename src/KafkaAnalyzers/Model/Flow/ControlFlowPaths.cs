using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// "On every normal or cancellation path from <see cref="Start"/> to a target, is there a clearing
/// operation after the last marking one?" Asked of one function's <see cref="ControlFlowGraph"/>
/// (RULES.md "Paths"): paths that complete normally or by cancellation (an <c>OperationCanceledException</c>
/// from a call that takes a <c>CancellationToken</c>, caught or leaving the function) count; paths that
/// leave by any other exception do not.
/// </summary>
/// <remarks>
/// Example: KAFKA007 asks, from the <c>Build()</c> of a producer, whether a dispose (target) can be
/// reached after a <c>Produce</c> (mark) with no <c>Flush</c> (clear) since. Every operation passed in
/// must be in the same function as <see cref="Start"/> (or the first target when there is no start);
/// an operation inside a lambda counts where the lambda is created. A target that is a <c>using</c>
/// statement or declaration means its implicit <c>Dispose</c>/<c>DisposeAsync</c>.
/// </remarks>
internal sealed class PathQuestion
{
    public PathQuestion(IOperation? start, IEnumerable<IOperation> targets, IEnumerable<IOperation> marks, IEnumerable<IOperation> clears, bool startMarked = false, bool throughCaughtExceptions = false)
    {
        Start = start;
        ThroughCaughtExceptions = throughCaughtExceptions;
        StartMarked = startMarked;
        Targets = targets.ToImmutableArray();
        Marks = marks.ToImmutableArray();
        Clears = clears.ToImmutableArray();
    }

    /// <summary>Where paths begin (passing it again resets the mark: a new instance); null for the function's entry.</summary>
    public IOperation? Start { get; }

    /// <summary>
    /// Also count the paths that enter a catch clause of the function because its try block threw (from any block
    /// of the try) and go on after the catch: e.g. a dead-letter produce in a <c>catch (Exception)</c> followed by a
    /// commit after the try (KAFKA115). Such a path enters the catch unmarked (the throw may have come before any
    /// mark of the try), so only marks made in the catch or after it count. Only catches of the nearest try
    /// statements, up to a catch-all; an exception through a <c>finally</c> is not followed. Without it (the
    /// default) catch clauses are entered only by cancellation (RULES.md "Paths").
    /// </summary>
    public bool ThroughCaughtExceptions { get; }

    /// <summary>Paths begin marked (e.g. a Dispose method: messages may have been produced by any earlier call).</summary>
    public bool StartMarked { get; }

    public ImmutableArray<IOperation> Targets { get; }

    public ImmutableArray<IOperation> Marks { get; }

    public ImmutableArray<IOperation> Clears { get; }
}

/// <summary>What <see cref="ControlFlowPaths.Ask"/> found.</summary>
internal sealed class PathAnswer
{
    public static readonly PathAnswer Unanswerable = new(false, ImmutableHashSet<IOperation>.Empty, ImmutableHashSet<IOperation>.Empty, ImmutableHashSet<IOperation>.Empty, false, false);

    public PathAnswer(bool answered, ImmutableHashSet<IOperation> reached, ImmutableHashSet<IOperation> reachedMarked, ImmutableHashSet<IOperation> reachedMarkedNormally, bool exitsMarked, bool exitsMarkedByCancellation)
    {
        Answered = answered;
        Reached = reached;
        ReachedMarked = reachedMarked;
        ReachedMarkedNormally = reachedMarkedNormally;
        ExitsMarked = exitsMarked;
        ExitsMarkedByCancellation = exitsMarkedByCancellation;
    }

    /// <summary>
    /// False when there is no graph, or a start, mark or clear could not be placed in it: callers stay silent.
    /// </summary>
    public bool Answered { get; }

    /// <summary>Targets reachable from the start at all.</summary>
    public ImmutableHashSet<IOperation> Reached { get; }

    /// <summary>Targets reachable on some counted path with a mark and no clear after it.</summary>
    public ImmutableHashSet<IOperation> ReachedMarked { get; }

    /// <summary>Targets reachable marked on a path without cancellation; the rest of <see cref="ReachedMarked"/> only by cancellation.</summary>
    public ImmutableHashSet<IOperation> ReachedMarkedNormally { get; }

    /// <summary>The function can complete (normally or by cancellation) with a mark and no clear after it.</summary>
    public bool ExitsMarked { get; }

    /// <summary>As <see cref="ExitsMarked"/>, on a path that leaves the function by cancellation.</summary>
    public bool ExitsMarkedByCancellation { get; }

    public bool IsReachedMarked(IOperation target) => ReachedMarked.Contains(target);
}

internal static class ControlFlowPaths
{
    /// <summary>Bounds the walk on pathological graphs; beyond it the question is unanswered.</summary>
    private const int MaxSteps = 200_000;

    /// <summary>Answers <paramref name="question"/>; building the graph and walking it observe <paramref name="cancellationToken"/>.</summary>
    public static PathAnswer Ask(PathQuestion question, FlowSymbols symbols, CancellationToken cancellationToken)
    {
        var anchor = question.Start ?? (question.Targets.IsEmpty ? null : question.Targets[0]);
        if (anchor is null)
        {
            return PathAnswer.Unanswerable;
        }

        var graph = FlowGraphs.Of(anchor, cancellationToken);
        if (graph is null)
        {
            return PathAnswer.Unanswerable;
        }

        var walker = new Walker(graph, symbols, cancellationToken);
        return walker.Run(question);
    }

    private enum EventKind
    {
        // Order matters for events at one operation: a target sees the state before it, a cancellation
        // leaves with the state before the call, marks and clears apply after.
        Target,
        Cancellation,
        Clear,
        Mark,
        Start,
    }

    private readonly struct Event
    {
        public Event(int top, int end, int length, EventKind kind, IOperation? original)
        {
            Top = top;
            End = end;
            Length = length;
            Kind = kind;
            Original = original;
        }

        /// <summary>Index of the block's top-level operation (the branch value is last).</summary>
        public int Top { get; }

        /// <summary>Nested operations run before the ones around them: ordered by span end, then length.</summary>
        public int End { get; }

        public int Length { get; }

        public EventKind Kind { get; }

        public IOperation? Original { get; }
    }

    private readonly struct Placement
    {
        public Placement(int block, int top, IOperation operation)
        {
            Block = block;
            Top = top;
            Operation = operation;
        }

        public int Block { get; }

        public int Top { get; }

        public IOperation Operation { get; }
    }

    /// <summary>
    /// A pending finally: which finally region runs, then either the finally regions still to run and the
    /// destination of the branch that entered it, or (exception) the region to continue propagating from.
    /// </summary>
    private sealed class Frame
    {
        public Frame(ControlFlowRegion finallyRegion, ImmutableArray<ControlFlowRegion> remaining, BasicBlock? destination, ControlFlowRegion? propagateFrom, Frame? next)
        {
            Finally = finallyRegion;
            Remaining = remaining;
            Destination = destination;
            PropagateFrom = propagateFrom;
            Next = next;
            Hash = (finallyRegion.FirstBlockOrdinal * 397) ^ (destination?.Ordinal ?? -1) ^ (remaining.Length << 20) ^ ((propagateFrom?.FirstBlockOrdinal ?? -1) << 10) ^ (next?.Hash ?? 0) * 31;
        }

        public ControlFlowRegion Finally { get; }

        public ImmutableArray<ControlFlowRegion> Remaining { get; }

        public BasicBlock? Destination { get; }

        public ControlFlowRegion? PropagateFrom { get; }

        public Frame? Next { get; }

        public int Hash { get; }

        public static bool Same(Frame? a, Frame? b)
        {
            while (true)
            {
                if (ReferenceEquals(a, b))
                {
                    return true;
                }

                if (a is null || b is null || a.Hash != b.Hash
                    || a.Finally != b.Finally || a.Destination != b.Destination || a.PropagateFrom != b.PropagateFrom
                    || !a.Remaining.SequenceEqual(b.Remaining))
                {
                    return false;
                }

                a = a.Next;
                b = b.Next;
            }
        }
    }

    private readonly struct State : System.IEquatable<State>
    {
        public State(int block, int from, bool marked, Frame? frames, bool cancelled)
        {
            Block = block;
            From = from;
            Marked = marked;
            Frames = frames;
            Cancelled = cancelled;
        }

        /// <summary>The path has gone through a cancellation.</summary>
        public bool Cancelled { get; }

        public int Block { get; }

        public int From { get; }

        public bool Marked { get; }

        public Frame? Frames { get; }

        public bool Equals(State other)
            => Block == other.Block && From == other.From && Marked == other.Marked && Cancelled == other.Cancelled && Frame.Same(Frames, other.Frames);

        public override bool Equals(object? obj) => obj is State other && Equals(other);

        public override int GetHashCode() => (Block * 7919) ^ (From * 31) ^ (Marked ? 1 : 0) ^ (Cancelled ? 2 : 0) ^ ((Frames?.Hash ?? 0) << 3);
    }

    private sealed class Walker
    {
        private readonly ControlFlowGraph _graph;
        private readonly FlowSymbols _symbols;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<SyntaxNode, List<Placement>> _bySyntax = new();
        private readonly List<Event>[] _events;
        private readonly HashSet<State> _seen = new();
        private readonly Stack<State> _work = new();
        private readonly HashSet<IOperation> _reached = new();
        private readonly HashSet<IOperation> _reachedMarked = new();
        private readonly HashSet<IOperation> _reachedMarkedNormally = new();
        private bool _cancelled;
        private bool _throughCaught;
        private bool _exitsMarked;
        private bool _exitsMarkedByCancellation;

        public Walker(ControlFlowGraph graph, FlowSymbols symbols, CancellationToken cancellationToken)
        {
            _graph = graph;
            _symbols = symbols;
            _cancellationToken = cancellationToken;
            _events = new List<Event>[graph.Blocks.Length];
            foreach (var block in graph.Blocks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _events[block.Ordinal] = new List<Event>();
                var top = 0;
                foreach (var operation in FlowGraphs.Operations(block))
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (!_bySyntax.TryGetValue(node.Syntax, out var list))
                        {
                            list = new List<Placement>();
                            _bySyntax[node.Syntax] = list;
                        }

                        list.Add(new Placement(block.Ordinal, top, node));
                        if (IsCancellationPoint(node))
                        {
                            Add(block.Ordinal, top, node, EventKind.Cancellation, original: null);
                        }
                    }

                    top++;
                }
            }
        }

        public PathAnswer Run(PathQuestion question)
        {
            _throughCaught = question.ThroughCaughtExceptions;
            foreach (var target in question.Targets)
            {
                foreach (var placement in PlaceTarget(target))
                {
                    Add(placement.Block, placement.Top, placement.Operation, EventKind.Target, target);
                }
            }

            if (!PlaceAll(question.Marks, EventKind.Mark) || !PlaceAll(question.Clears, EventKind.Clear))
            {
                return PathAnswer.Unanswerable;
            }

            State first;
            if (question.Start is null)
            {
                first = new State(0, 0, question.StartMarked, frames: null, cancelled: false);
            }
            else
            {
                if (Place(question.Start) is not { } start)
                {
                    return PathAnswer.Unanswerable;
                }

                Add(start.Block, start.Top, start.Operation, EventKind.Start, question.Start);
                Sort();
                var index = _events[start.Block].FindIndex(e => e.Kind == EventKind.Start && e.Original == question.Start);
                first = new State(start.Block, index + 1, question.StartMarked, frames: null, cancelled: false);
            }

            Sort();
            Push(first);
            var steps = 0;
            while (_work.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (++steps > MaxSteps)
                {
                    return PathAnswer.Unanswerable;
                }

                Step(_work.Pop());
            }

            return new PathAnswer(true, _reached.ToImmutableHashSet(), _reachedMarked.ToImmutableHashSet(), _reachedMarkedNormally.ToImmutableHashSet(), _exitsMarked, _exitsMarkedByCancellation);
        }

        private void Sort()
        {
            foreach (var list in _events)
            {
                list.Sort((a, b) => a.Top != b.Top ? a.Top.CompareTo(b.Top)
                    : a.End != b.End ? a.End.CompareTo(b.End)
                    : a.Length != b.Length ? a.Length.CompareTo(b.Length)
                    : a.Kind.CompareTo(b.Kind));
            }
        }

        private void Add(int block, int top, IOperation placed, EventKind kind, IOperation? original)
            => _events[block].Add(new Event(top, placed.Syntax.Span.End, placed.Syntax.Span.Length, kind, original));

        private bool PlaceAll(ImmutableArray<IOperation> operations, EventKind kind)
        {
            foreach (var operation in operations)
            {
                if (Place(operation) is not { } placement)
                {
                    return false;
                }

                Add(placement.Block, placement.Top, placement.Operation, kind, operation);
            }

            return true;
        }

        /// <summary>Where an operation of the original tree runs in the graph: same syntax and kind, else the nearest enclosing syntax in the graph.</summary>
        private Placement? Place(IOperation operation)
        {
            if (_bySyntax.TryGetValue(operation.Syntax, out var exact))
            {
                foreach (var candidate in exact)
                {
                    if (candidate.Operation.Kind == operation.Kind)
                    {
                        return candidate;
                    }
                }

                return exact[0];
            }

            for (var node = operation.Syntax.Parent; node is not null; node = node.Parent)
            {
                if (_bySyntax.TryGetValue(node, out var enclosing))
                {
                    return enclosing[0];
                }
            }

            return null;
        }

        private IEnumerable<Placement> PlaceTarget(IOperation target)
        {
            var resources = target switch
            {
                IUsingOperation @using => ResourceSyntaxes(@using.Resources),
                IUsingDeclarationOperation declaration => ResourceSyntaxes(declaration.DeclarationGroup),
                _ => null,
            };
            if (resources is null)
            {
                if (Place(target) is { } placement)
                {
                    yield return placement;
                }

                yield break;
            }

            // The implicit Dispose()/DisposeAsync() the compiler puts in the using's finally region.
            foreach (var syntax in resources)
            {
                if (!_bySyntax.TryGetValue(syntax, out var candidates))
                {
                    continue;
                }

                foreach (var candidate in candidates)
                {
                    if (candidate.Operation.IsImplicit
                        && candidate.Operation is IInvocationOperation or IAwaitOperation
                        && IsInFinally(_graph.Blocks[candidate.Block].EnclosingRegion))
                    {
                        yield return candidate;
                    }
                }
            }
        }

        private static IEnumerable<SyntaxNode> ResourceSyntaxes(IOperation resources)
        {
            if (resources is IVariableDeclarationGroupOperation group)
            {
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        yield return declarator.Syntax;
                    }
                }
            }
            else
            {
                yield return resources.Syntax;
            }
        }

        private static bool IsInFinally(ControlFlowRegion? region)
        {
            for (; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Finally)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A call that can end in <c>OperationCanceledException</c>: it takes a token that is not <c>default</c>/<c>None</c>, or is <c>ThrowIfCancellationRequested</c>.</summary>
        private bool IsCancellationPoint(IOperation operation)
        {
            if (operation is not IInvocationOperation invocation)
            {
                return false;
            }

            if (invocation.TargetMethod.Name == "ThrowIfCancellationRequested" && _symbols.IsCancellationToken(invocation.TargetMethod.ContainingType))
            {
                return true;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue || !_symbols.IsCancellationToken(argument.Value.Type))
                {
                    continue;
                }

                var value = argument.Value.WalkDownConversions();
                var none = value is IDefaultValueOperation
                           || (value is IPropertyReferenceOperation { Property.Name: "None" } property && _symbols.IsCancellationToken(property.Property.ContainingType));
                if (!none)
                {
                    return true;
                }
            }

            return false;
        }

        private void Push(State state)
        {
            if (_seen.Add(state))
            {
                _work.Push(state);
            }
        }

        private void Step(State state)
        {
            var block = _graph.Blocks[state.Block];
            var marked = state.Marked;
            _cancelled = state.Cancelled;
            var events = _events[state.Block];
            if (_throughCaught && state.From == 0)
            {
                EnterCatches(block.EnclosingRegion, state.Frames);
            }

            for (var i = state.From; i < events.Count; i++)
            {
                var e = events[i];
                switch (e.Kind)
                {
                    case EventKind.Target:
                        _reached.Add(e.Original!);
                        if (marked)
                        {
                            _reachedMarked.Add(e.Original!);
                            if (!_cancelled)
                            {
                                _reachedMarkedNormally.Add(e.Original!);
                            }
                        }

                        break;
                    case EventKind.Cancellation:
                        Propagate(block.EnclosingRegion, marked, state.Frames);
                        break;
                    case EventKind.Mark:
                        marked = true;
                        break;
                    case EventKind.Clear:
                    case EventKind.Start:
                        marked = false;
                        break;
                }
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                _exitsMarked |= marked;
                return;
            }

            var conditional = block.ConditionalSuccessor;
            var fallThrough = block.FallThroughSuccessor;
            if (conditional is not null && block.BranchValue?.ConstantValue is { HasValue: true, Value: bool constant })
            {
                var taken = (block.ConditionKind == ControlFlowConditionKind.WhenTrue) == constant;
                if (taken)
                {
                    Take(block, conditional, marked, state.Frames);
                    return;
                }

                conditional = null;
            }

            if (conditional is not null)
            {
                Take(block, conditional, marked, state.Frames);
            }

            if (fallThrough is not null)
            {
                Take(block, fallThrough, marked, state.Frames);
            }
        }

        private void Take(BasicBlock source, ControlFlowBranch branch, bool marked, Frame? frames)
        {
            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Throw:
                    if (FlowSymbols.InheritsFrom(source.BranchValue?.WalkDownConversions().Type, _symbols.OperationCanceledException))
                    {
                        Propagate(source.EnclosingRegion, marked, frames);
                    }

                    return;
                case ControlFlowBranchSemantics.Rethrow:
                    // Catch regions are entered only by cancellation here, so a rethrow carries it on.
                    Propagate(source.EnclosingRegion, marked, frames);
                    return;
                case ControlFlowBranchSemantics.StructuredExceptionHandling:
                    EndFinally(source, marked, frames);
                    return;
                case ControlFlowBranchSemantics.Regular:
                case ControlFlowBranchSemantics.Return:
                    if (!branch.FinallyRegions.IsEmpty)
                    {
                        var first = branch.FinallyRegions[0];
                        var frame = new Frame(first, branch.FinallyRegions.RemoveAt(0), branch.Destination, propagateFrom: null, frames);
                        Push(new State(first.FirstBlockOrdinal, 0, marked, frame, _cancelled));
                    }
                    else if (branch.Destination is { } destination)
                    {
                        Push(new State(destination.Ordinal, 0, marked, frames, _cancelled));
                    }

                    return;
                default:
                    // Error, ProgramTermination: not a counted path.
                    return;
            }
        }

        private void EndFinally(BasicBlock source, bool marked, Frame? frames)
        {
            if (frames is null || !Contains(frames.Finally, source.EnclosingRegion))
            {
                // The end of a filter, or a finally we did not enter through a branch: nothing to continue.
                return;
            }

            var rest = frames.Next;
            if (frames.PropagateFrom is { } from)
            {
                Propagate(from.EnclosingRegion, marked, rest);
            }
            else if (!frames.Remaining.IsEmpty)
            {
                var next = frames.Remaining[0];
                Push(new State(next.FirstBlockOrdinal, 0, marked, new Frame(next, frames.Remaining.RemoveAt(0), frames.Destination, propagateFrom: null, rest), _cancelled));
            }
            else if (frames.Destination is { } destination)
            {
                Push(new State(destination.Ordinal, 0, marked, rest, _cancelled));
            }
        }

        private static bool Contains(ControlFlowRegion outer, ControlFlowRegion? inner)
        {
            for (; inner is not null; inner = inner.EnclosingRegion)
            {
                if (inner == outer)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// An exception thrown inside <paramref name="region"/> and caught in this function (<see cref="PathQuestion.ThroughCaughtExceptions"/>):
        /// each catch of the nearest try statements around it, outward until a catch-all, entered unmarked; never through a finally.
        /// </summary>
        private void EnterCatches(ControlFlowRegion? region, Frame? frames)
        {
            for (var current = region; current is not null; current = current.EnclosingRegion)
            {
                if (current.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                {
                    return;
                }

                if (current.Kind != ControlFlowRegionKind.Try || current.EnclosingRegion is not { } parent)
                {
                    continue;
                }

                if (parent.Kind == ControlFlowRegionKind.TryAndFinally)
                {
                    return;
                }

                if (parent.Kind != ControlFlowRegionKind.TryAndCatch)
                {
                    continue;
                }

                var catchesAll = false;
                foreach (var handler in parent.NestedRegions)
                {
                    if (handler == current)
                    {
                        continue;
                    }

                    var entry = handler.Kind == ControlFlowRegionKind.FilterAndHandler ? handler.NestedRegions[handler.NestedRegions.Length - 1] : handler;
                    Push(new State(entry.FirstBlockOrdinal, 0, marked: false, frames, _cancelled));
                    catchesAll |= handler.Kind == ControlFlowRegionKind.Catch
                                  && (handler.ExceptionType is null or { SpecialType: SpecialType.System_Object }
                                      || SymbolEqualityComparer.Default.Equals(handler.ExceptionType, _symbols.Exception));
                }

                if (catchesAll)
                {
                    return;
                }
            }
        }

        /// <summary>A cancellation raised inside <paramref name="region"/>: to the first catch that takes it, through each finally on the way.</summary>
        private void Propagate(ControlFlowRegion? region, bool marked, Frame? frames)
        {
            for (var current = region; current is not null; current = current.EnclosingRegion)
            {
                if (current.Kind == ControlFlowRegionKind.Finally)
                {
                    // An exception out of a finally abandons what that finally would have continued with.
                    while (frames is not null && Contains(current, frames.Finally))
                    {
                        frames = frames.Next;
                    }

                    continue;
                }

                if (current.Kind != ControlFlowRegionKind.Try || current.EnclosingRegion is not { } parent)
                {
                    continue;
                }

                if (parent.Kind == ControlFlowRegionKind.TryAndFinally)
                {
                    var finallyRegion = parent.NestedRegions[parent.NestedRegions.Length - 1];
                    Push(new State(finallyRegion.FirstBlockOrdinal, 0, marked, new Frame(finallyRegion, ImmutableArray<ControlFlowRegion>.Empty, destination: null, propagateFrom: parent, frames), cancelled: true));
                    return;
                }

                if (parent.Kind == ControlFlowRegionKind.TryAndCatch)
                {
                    foreach (var handler in parent.NestedRegions)
                    {
                        if (handler == current)
                        {
                            continue;
                        }

                        if (handler.Kind == ControlFlowRegionKind.Catch && _symbols.CatchesCancellation(handler.ExceptionType))
                        {
                            Push(new State(handler.FirstBlockOrdinal, 0, marked, frames, cancelled: true));
                            return;
                        }

                        if (handler.Kind == ControlFlowRegionKind.FilterAndHandler || _symbols.MayCatchCancellation(handler.ExceptionType))
                        {
                            // A filter or a narrower cancellation type: it may take it, or the search goes on.
                            var entry = handler.Kind == ControlFlowRegionKind.FilterAndHandler ? handler.NestedRegions[handler.NestedRegions.Length - 1] : handler;
                            Push(new State(entry.FirstBlockOrdinal, 0, marked, frames, cancelled: true));
                        }
                    }
                }
            }

            _exitsMarked |= marked;
            _exitsMarkedByCancellation |= marked;
        }
    }
}
