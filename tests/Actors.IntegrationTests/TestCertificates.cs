using System.Security.Cryptography.X509Certificates;
using Actors.Security;

namespace Actors.IntegrationTests;

/// <summary>A development authority in a private temporary folder, issuing node certificates for specs; the folder goes on dispose.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"actors-specs-certificates-{Guid.NewGuid():N}");
    private readonly X509Certificate2 _authority = CertificateFactory.CreateAuthority("specs-ca", TimeSpan.FromDays(1));
    private readonly string _caPath;

    public TestCertificates()
    {
        CertificateFiles.CreatePrivateDirectory(_folder);
        _caPath = Path.Combine(_folder, "ca.crt");
        CertificateFiles.WritePublic(_caPath, _authority);
    }

    /// <summary>The TLS settings of a node whose certificate the authority issued, as a HOCON override.</summary>
    public string Identity(string name)
    {
        var path = Path.Combine(_folder, name + ".pfx");
        CertificateFiles.WriteIdentity(path, CertificateFactory.Issue(_authority, name, ["127.0.0.1", "localhost"], TimeSpan.FromDays(1)));
        return $"actors.security.tls {{ credentials = files, certificate.path = \"{path}\", ca-path = \"{_caPath}\" }}";
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
