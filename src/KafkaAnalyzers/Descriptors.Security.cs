using Microsoft.CodeAnalysis;

namespace KafkaAnalyzers;

/// <summary>KAFKA2xx: security.</summary>
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor KAFKA201_HardCodedCredential = DescriptorFactory.Create(
        "KAFKA201",
        Categories.Security,
        DiagnosticSeverity.Warning,
        "Hard-coded Kafka credential",
        "{0} is hard-coded in source; load the credential from a secret store or configuration",
        "A password or client secret written in source ends up in version control, build logs and every copy of the binary.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA202_TlsVerificationDisabled = DescriptorFactory.Create(
        "KAFKA202",
        Categories.Security,
        DiagnosticSeverity.Warning,
        "TLS verification disabled",
        "{0} turns off TLS {1} verification: anyone on the network path can impersonate {2}",
        "Without certificate verification or host name checking, a man in the middle can read and alter every message and capture SASL credentials; a forged schema registry can hand out schemas that corrupt every message.",
        dataLoss: false);

    public static readonly DiagnosticDescriptor KAFKA203_CredentialsOverCleartext = DescriptorFactory.Create(
        "KAFKA203",
        Categories.Security,
        DiagnosticSeverity.Warning,
        "Credentials over a cleartext connection",
        "SASL {0} over sasl_plaintext sends {1} in clear text; use SecurityProtocol.SaslSsl",
        "sasl_plaintext authenticates without TLS. With PLAIN the password itself crosses the network; with SCRAM the password stays hidden but every message is readable and alterable.",
        dataLoss: false);
}
