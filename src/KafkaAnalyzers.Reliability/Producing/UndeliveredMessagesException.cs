namespace KafkaAnalyzers.Reliability.Producing;

/// <summary>
/// Thrown by <see cref="DeliveryTrackingProducer{TKey,TValue}.DisposeAsync"/> when messages were not
/// delivered and nobody can say so any more: messages still unconfirmed when the producer was destroyed
/// (each was also handed to the failure handler or sink first), and failures that no handler or sink
/// accepted (see <see cref="DeliveryTrackingProducer{TKey,TValue}.UnhandledFailures"/>).
/// </summary>
public sealed class UndeliveredMessagesException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="unconfirmedAtDisposal">Messages neither delivered nor failed when the producer was destroyed.</param>
    /// <param name="unhandledFailures">Failures the handler and the sink both refused (threw) or that had nowhere to go.</param>
    public UndeliveredMessagesException(int unconfirmedAtDisposal, int unhandledFailures)
        : base($"{unconfirmedAtDisposal} message(s) were still unconfirmed when the producer was disposed, and {unhandledFailures} failed delivery(ies) could not be handed to a failure handler or sink.")
    {
        UnconfirmedAtDisposal = unconfirmedAtDisposal;
        UnhandledFailures = unhandledFailures;
    }

    /// <summary>Messages neither delivered nor failed when the producer was destroyed; they may or may not be in the log.</summary>
    public int UnconfirmedAtDisposal { get; }

    /// <summary>Failures that reached no handler or sink.</summary>
    public int UnhandledFailures { get; }
}
