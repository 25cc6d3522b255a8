using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Model;

/// <summary>
/// Turns assigned values into the string librdkafka receives, the way Confluent's typed setters do,
/// and parses those strings back the way librdkafka does.
/// </summary>
internal static class ConfigValues
{
    /// <summary>
    /// The string a typed property or string-key write stores, when the assigned value is a compile-time
    /// constant. <paramref name="removes"/> is true for a null constant: a typed setter given null
    /// removes the key, so the librdkafka default applies again.
    /// </summary>
    public static bool TryGetWrittenValue(IOperation? value, out string? written, out bool removes)
    {
        written = null;
        removes = false;
        if (value is null)
        {
            return false;
        }

        value = value.WalkDownConversions();
        var constant = value.ConstantValue;
        if (!constant.HasValue)
        {
            return false;
        }

        if (constant.Value is null)
        {
            removes = true;
            return true;
        }

        if (value.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            written = EnumValue(enumType, constant.Value);
            return written is not null;
        }

        written = constant.Value switch
        {
            bool b => b ? "True" : "False",
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
        return written is not null;
    }

    /// <summary>librdkafka's integer parsing; acks also accepts "all".</summary>
    public static bool TryParseInt(string? value, out long result)
    {
        result = 0;
        if (value is null)
        {
            return false;
        }

        var trimmed = value.Trim();
        if (string.Equals(trimmed, "all", StringComparison.OrdinalIgnoreCase))
        {
            result = -1;
            return true;
        }

        return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryParseDouble(string? value, out double result)
    {
        result = 0;
        return value is not null
               && double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>librdkafka accepts true/t/1 and false/f/0, case-insensitively.</summary>
    public static bool TryParseBool(string? value, out bool result)
    {
        result = false;
        switch (value?.Trim().ToLowerInvariant())
        {
            case "true":
            case "t":
            case "1":
                result = true;
                return true;
            case "false":
            case "f":
            case "0":
                return true;
            default:
                return false;
        }
    }

    public static bool EqualsIgnoreCase(string? value, string expected)
        => value is not null && string.Equals(value.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static string? EnumValue(INamedTypeSymbol enumType, object constant)
    {
        if (enumType.Name == "Acks")
        {
            // Confluent writes the numeric value: None "0", Leader "1", All "-1".
            return Convert.ToInt64(constant, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, constant))
            {
                return enumType.Name == "SaslMechanism" ? SaslMechanismName(field.Name) : LowerCaseName(field.Name);
            }
        }

        return null;
    }

    private static string SaslMechanismName(string member) => member switch
    {
        "Gssapi" => "GSSAPI",
        "Plain" => "PLAIN",
        "ScramSha256" => "SCRAM-SHA-256",
        "ScramSha512" => "SCRAM-SHA-512",
        "OAuthBearer" => "OAUTHBEARER",
        _ => member.ToUpperInvariant(),
    };

    /// <summary>
    /// Confluent writes other enum members lower-cased, except a fixed set of names librdkafka spells
    /// with separators (Config.SetObject in Confluent.Kafka 2.16; checked by TypedPropertyMappingTests).
    /// </summary>
    private static string LowerCaseName(string member)
    {
        var lower = member.ToLowerInvariant();
        return lower switch
        {
            "saslplaintext" => "sasl_plaintext",
            "saslssl" => "sasl_ssl",
            "consistentrandom" => "consistent_random",
            "murmur2random" => "murmur2_random",
            "readcommitted" => "read_committed",
            "readuncommitted" => "read_uncommitted",
            "cooperativesticky" => "cooperative-sticky",
            "usealldnsips" => "use_all_dns_ips",
            "resolvecanonicalbootstrapserversonly" => "resolve_canonical_bootstrap_servers_only",
            "azureimds" => "azure_imds",
            "awsiam" => "aws_iam",
            _ => lower,
        };
    }
}
