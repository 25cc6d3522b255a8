using System.Collections.Immutable;
using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaAnalyzers.Security;

/// <summary>
/// KAFKA201 hard-coded credential, KAFKA202 TLS verification disabled, KAFKA203 SASL credentials over a
/// cleartext connection. 201 and 202 look at every write of a Kafka configuration (the value in source is
/// the problem, wherever the configuration goes); 203 at the effective settings of each configuration.
/// </summary>
internal sealed class SecurityConfigurationAnalyzer : KafkaTypeAnalyzer
{
    /// <summary>Canonical keys whose value is a secret (the alias sasl.oauthbearer.client.credentials.client.secret resolves to one).</summary>
    private static readonly ImmutableHashSet<string> SecretKeys = ImmutableHashSet.Create(
        ConfigKeys.SaslPassword,
        ConfigKeys.SslKeyPassword,
        ConfigKeys.SslKeystorePassword,
        ConfigKeys.SaslOauthbearerClientSecret);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KAFKA201_HardCodedCredential,
        Descriptors.KAFKA202_TlsVerificationDisabled,
        Descriptors.KAFKA203_CredentialsOverCleartext);

    protected override void AnalyzeType(KafkaTypeAnalysis analysis, SymbolAnalysisContext context)
    {
        var reporter = new DeduplicatingReporter(context);
        var configurations = analysis.Configurations;
        foreach (var write in configurations.Writes)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            ReportHardCodedCredential(write, reporter);
            ReportVerificationDisabled(write, configurations.Contexts, reporter);
        }

        foreach (var write in configurations.SchemaRegistryWrites)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            ReportRegistryVerificationDisabled(write, configurations.SchemaRegistryContexts, reporter);
        }

        foreach (var config in configurations.Contexts)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            ReportCleartextCredentials(config, reporter);
        }
    }

    // ---- KAFKA201 -------------------------------------------------------------------------------

    private static void ReportHardCodedCredential(ConfigWrite write, DeduplicatingReporter reporter)
    {
        if (write.CanonicalKey is not { } key || !SecretKeys.Contains(key)
            || !write.HasConstantValue || !CredentialValues.IsCredential(write.Value)
            || write.ValueOperation is not { } value)
        {
            return;
        }

        reporter.Report(Descriptors.KAFKA201_HardCodedCredential, value.Syntax.GetLocation(), properties: null, additionalLocations: null, Name(write));
    }

    // ---- KAFKA202 -------------------------------------------------------------------------------

    private static void ReportVerificationDisabled(ConfigWrite write, ImmutableArray<ConfigContext> contexts, DeduplicatingReporter reporter)
    {
        string what;
        string verification;
        switch (write.CanonicalKey)
        {
            case ConfigKeys.EnableSslCertificateVerification when ConfigValues.TryParseBool(write.Value, out var enabled) && !enabled:
                what = write.IsStringKey ? $"'{write.Key}' = '{write.Value}'" : $"{write.Property!.Name} = false";
                verification = "certificate";
                break;
            case ConfigKeys.SslEndpointIdentificationAlgorithm when ConfigValues.EqualsIgnoreCase(write.Value, "none"):
                what = write.IsStringKey ? $"'{write.Key}' = '{write.Value}'" : $"{write.Property!.Name} = None";
                verification = "host name";
                break;
            default:
                return;
        }

        if (!write.HasConstantValue || WriteGuards.IsGuarded(write.Operation) || NeverUsedOverNetworkTls(write, contexts))
        {
            return;
        }

        reporter.Report(Descriptors.KAFKA202_TlsVerificationDisabled, write.Location, RemoveWrite(), additionalLocations: null, what, verification, "the broker");
    }

    /// <summary>
    /// <c>SchemaRegistryConfig.EnableSslCertificateVerification = false</c> (or its key through <c>Set</c>):
    /// CachedSchemaRegistryClient then accepts any server certificate. The client reads the value with
    /// <c>bool.Parse</c>, so only <c>true</c>/<c>false</c> in any case count (other values make it throw).
    /// </summary>
    private static void ReportRegistryVerificationDisabled(ConfigWrite write, ImmutableArray<ConfigContext> contexts, DeduplicatingReporter reporter)
    {
        if (write.CanonicalKey != SchemaRegistry.EnableSslCertificateVerification
            || !write.HasConstantValue || !bool.TryParse(write.Value, out var enabled) || enabled
            || WriteGuards.IsGuarded(write.Operation) || RegistryNeverUsedOverNetworkTls(write, contexts))
        {
            return;
        }

        var what = write.IsStringKey ? $"'{write.Key}' = '{write.Value}'" : $"{write.Property!.Name} = false";
        reporter.Report(Descriptors.KAFKA202_TlsVerificationDisabled, write.Location, RemoveWrite(), additionalLocations: null, what, "certificate", "the schema registry");
    }

    /// <summary>Every registry configuration this write takes effect in lists only <c>http://</c> URLs or URLs on this machine.</summary>
    private static bool RegistryNeverUsedOverNetworkTls(ConfigWrite write, ImmutableArray<ConfigContext> contexts)
    {
        var reached = false;
        foreach (var config in contexts)
        {
            if (config.State.Get(write.CanonicalKey!).Write != write)
            {
                continue;
            }

            reached = true;
            var urls = config.State.Get(SchemaRegistry.Url);
            if (!urls.IsKnown || !RegistryUrls.NoTlsOverNetwork(urls.Value))
            {
                return false;
            }
        }

        return reached;
    }

    /// <summary>
    /// Every configuration this write provably takes effect in either never uses TLS (security.protocol is
    /// plaintext or sasl_plaintext, so the setting does nothing) or talks only to brokers on this machine.
    /// </summary>
    private static bool NeverUsedOverNetworkTls(ConfigWrite write, ImmutableArray<ConfigContext> contexts)
    {
        var reached = false;
        foreach (var config in contexts)
        {
            if (config.State.Get(write.CanonicalKey!).Write != write)
            {
                continue;
            }

            reached = true;
            var protocol = config.Get(ConfigKeys.SecurityProtocol);
            var noTls = protocol.IsCertain && (ConfigValues.EqualsIgnoreCase(protocol.Value, "plaintext") || ConfigValues.EqualsIgnoreCase(protocol.Value, "sasl_plaintext"));
            if (!noTls && !OnlyLoopbackBrokers(config))
            {
                return false;
            }
        }

        return reached;
    }

    // ---- KAFKA203 -------------------------------------------------------------------------------

    private static void ReportCleartextCredentials(ConfigContext config, DeduplicatingReporter reporter)
    {
        var protocol = config.Get(ConfigKeys.SecurityProtocol);
        var mechanism = config.Get(ConfigKeys.SaslMechanism);
        if (!protocol.IsKnown || !ConfigValues.EqualsIgnoreCase(protocol.Value, "sasl_plaintext") || !mechanism.IsKnown)
        {
            return;
        }

        // librdkafka compares mechanism names case-sensitively (rdkafka_sasl.c); "plain" fails to build.
        var exposed = mechanism.Value switch
        {
            "PLAIN" => "the password and every message",
            "SCRAM-SHA-256" or "SCRAM-SHA-512" => "every message",
            _ => null,
        };
        if (exposed is null || OnlyLoopbackBrokers(config))
        {
            return;
        }

        var fix = ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Action, FixProperties.ActionReplaceValue)
            .Add(FixProperties.TypedValue, "Confluent.Kafka.SecurityProtocol.SaslSsl")
            .Add(FixProperties.StringValue, "sasl_ssl");
        reporter.Report(Descriptors.KAFKA203_CredentialsOverCleartext, protocol.Write!.Location, fix, additionalLocations: null, mechanism.Value, exposed);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static bool OnlyLoopbackBrokers(ConfigContext config)
    {
        var servers = config.Get(ConfigKeys.BootstrapServers);
        return servers.IsKnown && BootstrapServers.AllLoopback(servers.Value);
    }

    private static ImmutableDictionary<string, string?> RemoveWrite()
        => ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Action, FixProperties.ActionRemoveWrite);

    /// <summary>How the user wrote the setting: the typed property name, or the quoted key.</summary>
    private static string Name(ConfigWrite write) => write.IsStringKey || write.Property is null ? $"'{write.Key}'" : write.Property.Name;
}
