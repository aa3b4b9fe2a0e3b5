using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Security;

/// <summary>Where a node's TLS certificate comes from.</summary>
public enum CredentialSource
{
    /// <summary>Made in memory when the pool starts, pinned, and handed to its worker processes; never on disk.</summary>
    Ephemeral,

    /// <summary>A certificate file issued by a certificate authority, whose certificate is the only root peers are checked against.</summary>
    Files,
}

/// <summary>The <c>actors.security.tls</c> section: whether the wire runs TLS, and with which credentials.</summary>
public sealed record WireSecuritySettings
{
    /// <summary>The section's path.</summary>
    public const string Path = "actors.security.tls";

    public bool Enabled { get; init; } = true;
    public CredentialSource Credentials { get; init; } = CredentialSource.Ephemeral;
    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.EcdsaP256;
    public string? CertificatePath { get; init; }
    public string? CertificatePassword { get; init; }
    public string? AuthorityPath { get; init; }
    public bool ValidateHostname { get; init; }
    public bool KeepRunningOnOutboundHandshakeFailure { get; init; } = true;
    public TimeSpan HandOffTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads <c>actors.security.tls</c> from a whole configuration; a bad value is a <see cref="ConfigException"/> naming its key.</summary>
    public static WireSecuritySettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(Path) ?? Config.Empty;
        var defaults = new WireSecuritySettings();
        var settings = new WireSecuritySettings
        {
            Enabled = Read(section, "enabled", key => section.GetBoolean(key, defaults.Enabled)),
            Credentials = Choose(section, "credentials", defaults.Credentials, ("ephemeral", CredentialSource.Ephemeral), ("files", CredentialSource.Files)),
            KeyAlgorithm = Choose(section, "key-algorithm", defaults.KeyAlgorithm, ("ecdsa-p256", KeyAlgorithm.EcdsaP256), ("rsa-2048", KeyAlgorithm.Rsa2048)),
            CertificatePath = NonEmpty(section.GetString("certificate.path", null)),
            CertificatePassword = NonEmpty(section.GetString("certificate.password", null)),
            AuthorityPath = NonEmpty(section.GetString("ca-path", null)),
            ValidateHostname = Read(section, "validate-hostname", key => section.GetBoolean(key, defaults.ValidateHostname)),
            KeepRunningOnOutboundHandshakeFailure = Choose(section, "on-outbound-handshake-failure", defaults.KeepRunningOnOutboundHandshakeFailure,
                ("keep-running", true), ("shut-down", false)),
            HandOffTimeout = Read(section, "hand-off-timeout", key => section.GetTimeSpan(key, defaults.HandOffTimeout, allowInfinite: false)),
        };
        Require(settings.HandOffTimeout > TimeSpan.Zero, "hand-off-timeout", section.GetString("hand-off-timeout"), "must be positive");
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (!Enabled || Credentials != CredentialSource.Files) return;
        Require(CertificatePath is not null, "certificate.path", "\"\"", "credentials = files needs this node's PKCS#12 file (actors cert node writes NAME.pfx)");
        Require(AuthorityPath is not null, "ca-path", "\"\"", "credentials = files needs the certificate authority's certificate (actors cert ca writes ca.crt)");
        Require(File.Exists(CertificatePath), "certificate.path", CertificatePath!, "no such file");
        Require(File.Exists(AuthorityPath), "ca-path", AuthorityPath!, "no such file");
    }

    private static T Read<T>(Config section, string key, Func<string, T> read)
    {
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ConfigurationException or ArgumentException)
        {
            throw new ConfigException($"{Path}.{key} = {section.GetString(key)}: {e.Message}", e);
        }
    }

    private static T Choose<T>(Config section, string key, T fallback, params (string Name, T Value)[] choices)
    {
        var text = section.GetString(key, null);
        if (text is null) return fallback;
        foreach (var (name, value) in choices)
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)) return value;
        throw new ConfigException($"{Path}.{key} = {text}: must be one of {string.Join(", ", choices.Select(c => c.Name))}.");
    }

    private static void Require(bool condition, string key, object value, string rule)
    {
        if (!condition) throw new ConfigException($"{Path}.{key} = {value}: {rule}.");
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
