using System;
using System.Threading;

namespace KafkaAnalyzers.Model;

/// <summary>
/// A per-type model computed once and shared by every rule family, by whichever family asks first and
/// with that family's cancellation token. Unlike <see cref="Lazy{T}"/>, a computation that was
/// cancelled (or failed) is not remembered: the next caller, whose token may well be live (the IDE asks
/// again for the same compilation after cancelling a request), computes it again instead of receiving
/// someone else's <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class SharedComputation<T>
    where T : class
{
    private readonly Func<CancellationToken, T> _compute;
    private readonly object _gate = new();
    private T? _value;

    public SharedComputation(Func<CancellationToken, T> compute) => _compute = compute;

    public T Get(CancellationToken cancellationToken)
    {
        var value = Volatile.Read(ref _value);
        if (value is not null)
        {
            return value;
        }

        lock (_gate)
        {
            if (_value is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Volatile.Write(ref _value, _compute(cancellationToken));
            }

            return _value!;
        }
    }
}
