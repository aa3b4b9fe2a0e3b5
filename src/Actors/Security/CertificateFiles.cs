using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Configuration;

namespace Actors.Security;

/// <summary>
/// Certificates on disk: private identities as PKCS#12 (<c>.pfx</c>) readable by their owner only,
/// public certificates as PEM (<c>.crt</c>). Reading names the setting a bad file came from.
/// </summary>
public static class CertificateFiles
{
    /// <summary>Owner read and write: the mode of a file holding a private key.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Readable by everyone, writable by the owner: the mode of a public certificate.</summary>
    public const UnixFileMode PublicFileMode = PrivateFileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Owner only: the mode of a folder that holds private keys.</summary>
    public const UnixFileMode PrivateDirectoryMode = PrivateFileMode | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="certificate"/> with its private key as PKCS#12, created with owner-only permissions.</summary>
    /// <param name="path">The file; an existing file is replaced.</param>
    /// <param name="certificate">A certificate with its private key.</param>
    /// <param name="password">Encrypts the file (AES-256); null writes it unencrypted, protected by its permissions alone.</param>
    public static void WriteIdentity(string path, X509Certificate2 certificate, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey) throw new ArgumentException($"{certificate.Subject} has no private key to write.", nameof(certificate));
        var bytes = password is null
            ? certificate.Export(X509ContentType.Pkcs12)
            : certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        WriteNew(path, bytes, PrivateFileMode);
    }

    /// <summary>Writes the public part of <paramref name="certificate"/> as PEM.</summary>
    public static void WritePublic(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        WriteNew(path, System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"), PublicFileMode);
    }

    /// <summary>Creates <paramref name="path"/> (and its parents) if absent; a folder this creates is its owner's alone.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, PrivateDirectoryMode);
    }

    /// <summary>Reads a certificate with its private key from a PKCS#12 file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="password">Its password; null or empty when it has none.</param>
    /// <param name="setting">The setting or option the path came from, named in errors.</param>
    /// <exception cref="ConfigException">The file is missing, unreadable, not PKCS#12, wrongly protected, or holds no private key.</exception>
    public static X509Certificate2 LoadIdentity(string path, string? password, string setting)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException($"{setting} = {path}: cannot read a PKCS#12 certificate with its private key ({Reason(e)}).", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ConfigException($"{setting} = {path}: the file holds no private key.");
        }
        return certificate;
    }

    /// <summary>Reads a public certificate from a PEM or DER file.</summary>
    /// <exception cref="ConfigException">The file is missing, unreadable, or holds no certificate.</exception>
    public static X509Certificate2 LoadPublic(string path, string setting)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException($"{setting} = {path}: cannot read a certificate ({Reason(e)}).", e);
        }
    }

    private static void WriteNew(string path, byte[] bytes, UnixFileMode mode)
    {
        // The permissions are set when the file is created, so the key is never readable by others,
        // even for a moment; an existing file is removed first, because opening it would keep its mode.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message.TrimEnd('.'),
    };
}
