using System.IO.Pipes;
using Actors.Security;

namespace Actors.Tests.Security;

/// <summary>Handing a pool's TLS policy to a worker process as the first line of its standard input.</summary>
public sealed class CredentialChannelSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Channel_must_hand_over_the_certificate_with_its_private_key_and_the_pins()
    {
        var policy = TlsPolicy.Ephemeral("pool");
        var (writer, reader) = Pipe();
        using (writer)
        using (reader)
        {
            await CredentialChannel.WriteAsync(writer, policy);
            await writer.WriteLineAsync("after the credentials");
            await writer.FlushAsync();

            var received = await CredentialChannel.ReadAsync(reader, Patience);

            Assert.Equal(policy.Certificate.RawData, received.Certificate.RawData);
            CertificateFactorySpecs.AssertSameKey(policy.Certificate, received.Certificate);
            Assert.True(received.Trust.Accepts(policy.Certificate, default, out _), "the child does not trust its pool's certificate");
            Assert.False(received.Trust.Accepts(CertificateFactory.CreateSelfSigned("pool", TimeSpan.FromDays(1)), default, out _));
            Assert.True(received.KeepRunningOnOutboundHandshakeFailure);
            Assert.Equal("after the credentials", await reader.ReadLineAsync().WaitAsync(Patience)); // nothing after the line was consumed
        }
    }

    [Fact]
    public async Task Channel_must_hand_over_authority_trust_and_its_switches()
    {
        var authority = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1));
        var node = CertificateFactory.Issue(authority, "node", ["127.0.0.1"], TimeSpan.FromDays(1));
        var policy = new TlsPolicy(node, PeerTrust.IssuedBy(authority, validateHostname: true), keepRunningOnOutboundHandshakeFailure: false);

        var received = CredentialChannel.Parse(CredentialChannel.Format(policy));

        Assert.Equal(node.RawData, received.Certificate.RawData);
        Assert.True(received.Certificate.HasPrivateKey);
        Assert.False(received.KeepRunningOnOutboundHandshakeFailure);
        Assert.True(received.Trust.Accepts(CertificateFactory.Issue(authority, "other", [], TimeSpan.FromDays(1)), default, out _));
        Assert.False(received.Trust.Accepts(node, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, out var reason));
        Assert.Contains("does not name the host dialled", reason);
    }

    [Theory]
    [InlineData("hello", "did not start with a credential line")]
    [InlineData("actors-tls/1 pinned=AAAA outbound-failure=keep-running", "'identity' is missing")]
    [InlineData("actors-tls/1 identity=!!! pinned=AAAA outbound-failure=keep-running", "'identity' is not a base64 PKCS#12 certificate")]
    [InlineData("actors-tls/1 identity=AAAA identity=AAAA", "malformed or repeated field")]
    [InlineData("actors-tls/1 identity=AAAA colour=blue", "unknown field 'colour'")]
    public void Channel_must_refuse_a_line_that_is_not_a_credential_line(string line, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => CredentialChannel.Parse(line));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Channel_must_refuse_a_line_with_both_or_neither_kind_of_trust()
    {
        var line = CredentialChannel.Format(TlsPolicy.Ephemeral("pool"));
        var withoutPins = string.Join(' ', line.Split(' ').Where(token => !token.StartsWith("pinned=", StringComparison.Ordinal)));

        Assert.Contains("exactly one of 'pinned' and 'ca'", Assert.Throws<InvalidDataException>(() => CredentialChannel.Parse(withoutPins)).Message);
    }

    [Fact]
    public async Task Reader_must_fail_clearly_when_the_input_ends_first()
    {
        using var reader = new StringReader("actors-tls/1 ident");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CredentialChannel.ReadAsync(reader, Patience));

        Assert.Contains("standard input ended before the TLS credentials", error.Message);
    }

    [Fact]
    public async Task Reader_must_refuse_a_line_longer_than_its_bound()
    {
        using var reader = new StringReader(new string('x', CredentialChannel.MaxLineLength + 10) + "\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CredentialChannel.ReadAsync(reader, Patience));

        Assert.Contains($"longer than {CredentialChannel.MaxLineLength} characters", error.Message);
    }

    [Fact]
    public async Task Reader_must_give_up_when_nothing_arrives_in_time()
    {
        var (writer, reader) = Pipe();
        using (writer)
        using (reader)
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => CredentialChannel.ReadAsync(reader, TimeSpan.FromMilliseconds(200)));

            Assert.Contains("no TLS credentials arrived on standard input within", error.Message);
        }
    }

    /// <summary>An anonymous pipe, as between a process and the child whose standard input it writes.</summary>
    private static (StreamWriter Writer, StreamReader Reader) Pipe()
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        return (new StreamWriter(server), new StreamReader(client));
    }
}
