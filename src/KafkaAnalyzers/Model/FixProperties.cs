namespace KafkaAnalyzers.Model;

/// <summary>
/// Keys of the diagnostic properties through which an analyzer tells its code fix what to change.
/// The analyzer knows the model; the fix only edits the syntax it is pointed at.
/// </summary>
internal static class FixProperties
{
    /// <summary>What the fix does (one of the <c>Action*</c> values); absent when no safe fix exists.</summary>
    public const string Action = "KafkaFix";

    /// <summary>Replace the value of the write at the diagnostic location.</summary>
    public const string ActionReplaceValue = "ReplaceValue";

    /// <summary>Remove the write at the diagnostic location (the librdkafka default applies again).</summary>
    public const string ActionRemoveWrite = "RemoveWrite";

    /// <summary>Add a setting to the configuration created at the diagnostic location.</summary>
    public const string ActionAddSetting = "AddSetting";

    /// <summary>Replace the string-key literal at the diagnostic location with <see cref="Key"/>.</summary>
    public const string ActionReplaceKey = "ReplaceKey";

    /// <summary>The typed property to write (e.g. <c>Acks</c>).</summary>
    public const string Property = "KafkaProperty";

    /// <summary>The C# expression for a typed property (e.g. <c>Confluent.Kafka.Acks.All</c>).</summary>
    public const string TypedValue = "KafkaTypedValue";

    /// <summary>The string-key form: key and value (e.g. <c>enable.idempotence</c> / <c>true</c>); for <see cref="ActionReplaceKey"/> the new key.</summary>
    public const string Key = "KafkaKey";

    public const string StringValue = "KafkaStringValue";

    /// <summary>
    /// A second write to replace in the same fix, at additional location 0 (e.g. acks=1 when enabling
    /// idempotence, which would otherwise make Build() throw). Its typed and string values follow.
    /// </summary>
    public const string SecondTypedValue = "KafkaSecondTypedValue";

    public const string SecondStringValue = "KafkaSecondStringValue";

    /// <summary>
    /// Present (value "true") when an <see cref="ActionAddSetting"/> diagnostic is reported away from the
    /// configuration (e.g. at the conflicting write): the creation to add to is at additional location 0
    /// (so it is not combined with <see cref="SecondTypedValue"/>).
    /// </summary>
    public const string CreationAtAdditionalLocation = "KafkaCreationAtAdditionalLocation";

    /// <summary>
    /// Present (value "true") when an <see cref="ActionReplaceValue"/> diagnostic is reported away from the
    /// write it fixes (e.g. at a <c>StoreOffset</c> call that needs the configuration changed): the write is
    /// at additional location 0 (so it is not combined with <see cref="SecondTypedValue"/>).
    /// </summary>
    public const string WriteAtAdditionalLocation = "KafkaWriteAtAdditionalLocation";
}
