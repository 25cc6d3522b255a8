using System.Text;

namespace KafkaAnalyzers.DeadLetterTool;

/// <summary>How keys, values and header values are printed.</summary>
internal enum ValueFormat
{
    /// <summary>UTF-8 text when the bytes are printable text, else hex.</summary>
    Auto,

    /// <summary>UTF-8 text (invalid bytes become U+FFFD).</summary>
    Text,

    /// <summary>Hexadecimal.</summary>
    Hex,

    /// <summary>Base64.</summary>
    Base64,
}

internal static class ValueText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Show(byte[]? bytes, ValueFormat format, int? maxChars = null)
    {
        if (bytes is null)
        {
            return "(null)";
        }

        var text = format switch
        {
            ValueFormat.Text => Encoding.UTF8.GetString(bytes),
            ValueFormat.Hex => Convert.ToHexString(bytes),
            ValueFormat.Base64 => Convert.ToBase64String(bytes),
            _ => TryText(bytes) ?? "0x" + Convert.ToHexString(bytes),
        };
        return maxChars is { } max && text.Length > max ? text[..Math.Max(0, max - 1)] + "…" : text;
    }

    private static string? TryText(byte[] bytes)
    {
        try
        {
            var text = Strict.GetString(bytes);
            return text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t') ? text : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
