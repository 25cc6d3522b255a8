using System;

namespace KafkaAnalyzers.Security;

/// <summary>
/// Tells a credential written in source from an obvious placeholder. Precision first: a value is a
/// placeholder when its shape says "fill me in" (template markers, masks, "your-…"); any other
/// non-blank literal is a credential, including weak ones like "password" or "changeme" — a literal
/// password is exactly what KAFKA201 is about.
/// </summary>
internal static class CredentialValues
{
    public static bool IsCredential(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var text = value.Trim();
        return text.Length > 0 && !IsPlaceholder(text);
    }

    private static bool IsPlaceholder(string text)
        => Wrapped(text, "<", ">")
           || Wrapped(text, "{", "}")
           || Wrapped(text, "${", "}")
           || Wrapped(text, "$(", ")")
           || Wrapped(text, "#{", "}")
           || Wrapped(text, "#{", "}#")
           || Wrapped(text, "[", "]")
           || (text.Length > 2 && Wrapped(text, "%", "%"))
           || (text.Length > 4 && Wrapped(text, "__", "__"))
           || ContainsTemplateToken(text)
           || IsEnvironmentReference(text)
           || IsMask(text)
           || text.StartsWith("your", StringComparison.OrdinalIgnoreCase);

    private static bool Wrapped(string text, string open, string close)
        => text.Length >= open.Length + close.Length
           && text.StartsWith(open, StringComparison.Ordinal)
           && text.EndsWith(close, StringComparison.Ordinal);

    /// <summary>
    /// A template with a slot to fill in somewhere inside, e.g. an Event Hubs connection string
    /// <c>Endpoint=sb://&lt;namespace&gt;.servicebus.windows.net/;…</c>: a <c>&lt;name&gt;</c>,
    /// <c>${name}</c> or <c>{{name}}</c> token whose name is made of letters, digits, spaces, '-', '_' or '.'.
    /// </summary>
    private static bool ContainsTemplateToken(string text)
        => ContainsToken(text, "<", ">") || ContainsToken(text, "${", "}") || ContainsToken(text, "{{", "}}");

    private static bool ContainsToken(string text, string open, string close)
    {
        for (var start = text.IndexOf(open, StringComparison.Ordinal); start >= 0; start = text.IndexOf(open, start + 1, StringComparison.Ordinal))
        {
            var nameStart = start + open.Length;
            var end = text.IndexOf(close, nameStart, StringComparison.Ordinal);
            if (end > nameStart && IsTokenName(text.Substring(nameStart, end - nameStart)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTokenName(string name)
    {
        var hasLetter = false;
        foreach (var c in name)
        {
            if (char.IsLetter(c))
            {
                hasLetter = true;
            }
            else if (!char.IsDigit(c) && c is not (' ' or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return hasLetter;
    }

    /// <summary><c>$KAFKA_PASSWORD</c>: a shell-style variable name, meant to be expanded.</summary>
    private static bool IsEnvironmentReference(string text)
    {
        if (text.Length < 2 || text[0] != '$' || char.IsDigit(text[1]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (!(c is >= 'A' and <= 'Z' || c is >= '0' and <= '9' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>***</c>, <c>xxxx</c>, <c>...</c>: a masked or elided value.</summary>
    private static bool IsMask(string text)
    {
        foreach (var c in text)
        {
            if (c is not ('*' or 'x' or 'X' or '.' or '-' or '_' or '?'))
            {
                return false;
            }
        }

        return true;
    }
}
