using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Actors.Security;

/// <summary>
/// Hands a <see cref="TlsPolicy"/> — the certificate with its private key, and whom to trust — from
/// a pool to a worker process it starts, as the first line of the child's standard input. A pipe
/// between the two processes is readable by no one else: the secret is never on a command line, in
/// the environment, or on disk. The line is
/// <c>actors-tls/1 identity=PKCS12 (pinned=DER,DER… | ca=DER validate-hostname=on|off) outbound-failure=keep-running|shut-down</c>,
/// each value in base64.
/// </summary>
public static class CredentialChannel
{
    /// <summary>The longest line the reader accepts; a credential line is a few kilobytes.</summary>
    public const int MaxLineLength = 64 * 1024;

    private const string Version = "actors-tls/1";

    /// <summary>Writes <paramref name="policy"/> as one line and flushes it.</summary>
    /// <param name="writer">The child's standard input (<c>Process.StandardInput</c>).</param>
    /// <param name="policy">The policy to hand over; its certificate's private key must be exportable.</param>
    /// <param name="cancellationToken">Stops a write the child does not take.</param>
    public static async Task WriteAsync(TextWriter writer, TlsPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteAsync((Format(policy) + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the line <see cref="WriteAsync"/> wrote, and nothing after it.</summary>
    /// <param name="reader">This process's standard input (<c>Console.In</c>).</param>
    /// <param name="timeout">How long to wait for the line.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TimeoutException">No line arrived within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidDataException">The input ended first, or the line is not a credential line.</exception>
    public static async Task<TlsPolicy> ReadAsync(TextReader reader, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string line;
        try
        {
            line = await ReadLineAsync(reader, cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no TLS credentials arrived on standard input within {timeout}.");
        }
        return Parse(line);
    }

    /// <summary>The line for <paramref name="policy"/>, without its line break.</summary>
    public static string Format(TlsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var line = new StringBuilder(Version);
        // Unencrypted PKCS#12: the pipe is the protection, and a password sent beside it would add none.
        line.Append(" identity=").Append(Convert.ToBase64String(policy.Certificate.Export(X509ContentType.Pkcs12)));
        switch (policy.Trust)
        {
            case PinnedTrust pinned:
                line.Append(" pinned=").AppendJoin(',', pinned.Certificates.Select(c => Convert.ToBase64String(c.RawData)));
                break;
            case AuthorityTrust authority:
                line.Append(" ca=").Append(Convert.ToBase64String(authority.Authority.RawData));
                line.Append(" validate-hostname=").Append(authority.ValidateHostname ? "on" : "off");
                break;
            default:
                throw new NotSupportedException($"{policy.Trust.GetType().Name} cannot be handed over.");
        }
        line.Append(" outbound-failure=").Append(policy.KeepRunningOnOutboundHandshakeFailure ? "keep-running" : "shut-down");
        return line.ToString();
    }

    /// <summary>The policy a credential line carries.</summary>
    /// <exception cref="InvalidDataException">The line is not a well-formed credential line.</exception>
    public static TlsPolicy Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens[0] != Version)
            throw new InvalidDataException($"standard input did not start with a credential line ({Version} …).");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens.Skip(1))
        {
            var at = token.IndexOf('=');
            if (at <= 0 || !fields.TryAdd(token[..at], token[(at + 1)..]))
                throw new InvalidDataException($"credential line: malformed or repeated field '{Shorten(token)}'.");
        }
        if (fields.Keys.FirstOrDefault(key => key is not ("identity" or "pinned" or "ca" or "validate-hostname" or "outbound-failure")) is { } unknown)
            throw new InvalidDataException($"credential line: unknown field '{Shorten(unknown)}'.");

        var identity = LoadIdentity(Required(fields, "identity"));
        var trust = (fields.TryGetValue("pinned", out var pins), fields.TryGetValue("ca", out var ca)) switch
        {
            (true, false) => PeerTrust.Pinned(pins!.Split(',').Select(pin => LoadPublic(pin, "pinned")).ToList()),
            (false, true) => PeerTrust.IssuedBy(LoadPublic(ca!, "ca"), Switch(fields, "validate-hostname", "on", "off")),
            _ => throw new InvalidDataException("credential line: exactly one of 'pinned' and 'ca' is needed."),
        };
        return new TlsPolicy(identity, trust, Switch(fields, "outbound-failure", "keep-running", "shut-down"));
    }

    private static async Task<string> ReadLineAsync(TextReader reader, CancellationToken cancellationToken)
    {
        // One character at a time: nothing after the line is consumed (the rest of standard input
        // belongs to the caller), and a line without an end is refused at the bound, not buffered.
        var line = new StringBuilder();
        var next = new char[1];
        while (true)
        {
            if (await reader.ReadAsync(next, cancellationToken).ConfigureAwait(false) == 0)
                throw new InvalidDataException($"standard input ended before the TLS credentials ({line.Length} characters read).");
            if (next[0] == '\n') return line.ToString();
            if (line.Length == MaxLineLength)
                throw new InvalidDataException($"the credential line is longer than {MaxLineLength} characters.");
            line.Append(next[0]);
        }
    }

    private static X509Certificate2 LoadIdentity(string base64)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(base64), null, X509KeyStorageFlags.Exportable);
            return certificate.HasPrivateKey ? certificate : throw new InvalidDataException("credential line: the identity holds no private key.");
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new InvalidDataException($"credential line: 'identity' is not a base64 PKCS#12 certificate ({e.Message})", e);
        }
    }

    private static X509Certificate2 LoadPublic(string base64, string field)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new InvalidDataException($"credential line: '{field}' is not a base64 certificate ({e.Message})", e);
        }
    }

    private static string Required(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new InvalidDataException($"credential line: '{key}' is missing.");

    private static bool Switch(Dictionary<string, string> fields, string key, string yes, string no)
    {
        var value = Required(fields, key);
        return value == yes || (value == no ? false : throw new InvalidDataException($"credential line: '{key}' must be {yes} or {no}, not '{Shorten(value)}'."));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
