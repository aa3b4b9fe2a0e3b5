using Actors.Protocol;
using Actors.Security;
using Akka.Actor;
using Xunit.Abstractions;

namespace Actors.Tests.Security;

/// <summary>
/// Two or three actor systems in this process talk Akka.Remote over TLS on loopback: nodes that
/// share the pinned certificate, or hold certificates from one authority, talk; a stranger — with
/// its own certificate and accepting anyone's, or with no TLS at all — reaches nobody, in either
/// direction, and no trusted node shuts down because of it.
/// </summary>
public sealed class TlsRemotingSpecs : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private readonly RemoteNodes _nodes;

    public TlsRemotingSpecs(ITestOutputHelper output) : base(output: output) => _nodes = new RemoteNodes(this);

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public async Task Nodes_sharing_the_pinned_certificate_talk(KeyAlgorithm algorithm)
    {
        var pool = TlsPolicy.Ephemeral("pool", algorithm);
        var a = _nodes.Start("a", pool);
        var b = _nodes.Start("b", pool);
        var (listener, path) = _nodes.Listener(a);

        Assert.Equal("akka.ssl.tcp", path.Address.Protocol);
        var remote = await _nodes.IdentifyAsync(b, path);
        remote.Tell(new Probe(42)); // one of the pool's own messages, through its own serializer
        await listener.ExpectMsgAsync(new Probe(42), RemoteNodes.Patience, "Probe(42) from b over TLS");
    }

    [Fact]
    public async Task A_stranger_with_another_certificate_cannot_deliver_to_a_node()
    {
        var pool = TlsPolicy.Ephemeral("pool");
        var a = _nodes.Start("a", pool);
        var b = _nodes.Start("b", pool);
        var stranger = _nodes.StartAcceptingAnyone("stranger", CertificateFactory.CreateSelfSigned("pool", TimeSpan.FromDays(1)));
        var (listener, path) = _nodes.Listener(a);
        var refusals = _nodes.Warnings(a);

        stranger.ActorSelection(path).Tell(new Probe(666));

        await RemoteNodes.ExpectWarningAsync(refusals, "is not the pinned one", "a refusing the stranger's certificate");
        await listener.ExpectNoMsgAsync(Quiet);
        await AssertStillTalkingAsync(a, b);
    }

    [Fact]
    public async Task A_node_that_dials_a_stranger_refuses_it_and_stays_up()
    {
        var pool = TlsPolicy.Ephemeral("pool");
        var a = _nodes.Start("a", pool);
        var b = _nodes.Start("b", pool);
        var stranger = _nodes.StartAcceptingAnyone("stranger", CertificateFactory.CreateSelfSigned("pool", TimeSpan.FromDays(1)));
        var (listener, path) = _nodes.Listener(stranger);
        var warnings = _nodes.Warnings(a);

        a.ActorSelection(path).Tell(new Probe(1));

        await RemoteNodes.ExpectWarningAsync(warnings, "is not the pinned one", "a refusing the certificate of the node it dialled");
        await RemoteNodes.ExpectWarningAsync(warnings, "Staying up after a failed outbound TLS handshake", "the guard abandoning Akka's shutdown");
        await listener.ExpectNoMsgAsync(Quiet);
        await AssertStillTalkingAsync(a, b);
    }

    [Fact]
    public async Task Without_the_guard_a_failed_outbound_handshake_shuts_the_node_down()
    {
        // Akka's own behaviour, which the guard exists to prevent: this is what the test above would see without it.
        var a = _nodes.Start("a", TlsPolicy.Ephemeral("pool", keepRunningOnOutboundHandshakeFailure: false));
        var stranger = _nodes.StartAcceptingAnyone("stranger", CertificateFactory.CreateSelfSigned("pool", TimeSpan.FromDays(1)));
        var (_, path) = _nodes.Listener(stranger);

        a.ActorSelection(path).Tell(new Probe(1));

        await AssertTerminatesAsync(a, "a, after its outbound handshake with a stranger failed");
        Assert.Equal(79, CoordinatedShutdown.Get(a).ShutdownReason?.ExitCode);
    }

    [Fact]
    public async Task A_node_that_stayed_up_after_a_refused_dial_still_terminates_when_asked()
    {
        var a = _nodes.Start("a", TlsPolicy.Ephemeral("pool"));
        var stranger = _nodes.StartAcceptingAnyone("stranger", CertificateFactory.CreateSelfSigned("pool", TimeSpan.FromDays(1)));
        var (_, path) = _nodes.Listener(stranger);
        var warnings = _nodes.Warnings(a);
        a.ActorSelection(path).Tell(new Probe(1));
        await RemoteNodes.ExpectWarningAsync(warnings, "Staying up after a failed outbound TLS handshake", "the guard abandoning Akka's shutdown");
        await AwaitConditionAsync(() => Task.FromResult(CoordinatedShutdown.Get(a).ShutdownReason is null), RemoteNodes.Patience,
            message: "the guard re-arming coordinated shutdown");

        await a.Terminate().WaitAsync(RemoteNodes.Patience);

        Assert.True(a.WhenTerminated.IsCompleted, "a did not terminate when asked after the guard had abandoned a shutdown");
        Assert.IsType<CoordinatedShutdown.ActorSystemTerminateReason>(CoordinatedShutdown.Get(a).ShutdownReason);
    }

    [Fact]
    public async Task A_node_without_tls_cannot_talk_to_a_tls_node_either_way()
    {
        var pool = TlsPolicy.Ephemeral("pool");
        var a = _nodes.Start("a", pool);
        var b = _nodes.Start("b", pool);
        var plain = _nodes.StartPlain("plain");
        var (listenerA, pathA) = _nodes.Listener(a);
        var (listenerPlain, pathPlain) = _nodes.Listener(plain);
        var warnings = _nodes.Warnings(a);

        // The plain node dials a's port with its own scheme (it has no transport for akka.ssl.tcp).
        var downgraded = ActorPath.Parse(pathA.ToString().Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal));
        plain.ActorSelection(downgraded).Tell(new Probe(2));
        await RemoteNodes.ExpectWarningAsync(warnings, "due to TLS handshake failure", "a rejecting plain TCP on its TLS port");
        await listenerA.ExpectNoMsgAsync(Quiet);

        var upgraded = ActorPath.Parse(pathPlain.ToString().Replace("akka.tcp://", "akka.ssl.tcp://", StringComparison.Ordinal));
        a.ActorSelection(upgraded).Tell(new Probe(3));
        await RemoteNodes.ExpectWarningAsync(warnings, "Staying up after a failed outbound TLS handshake", "a's dial into a plain port failing");
        await listenerPlain.ExpectNoMsgAsync(Quiet);
        await AssertStillTalkingAsync(a, b);
    }

    [Fact]
    public async Task Nodes_with_certificates_from_the_cluster_authority_talk_and_another_authority_is_refused()
    {
        var authority = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1));
        var other = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1)); // same name, different key
        TlsPolicy Node(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 issuer) =>
            new(CertificateFactory.Issue(issuer, name, ["127.0.0.1"], TimeSpan.FromDays(1)), PeerTrust.IssuedBy(authority));
        var a = _nodes.Start("a", Node("a", authority));
        var b = _nodes.Start("b", Node("b", authority));
        var outsider = _nodes.Start("outsider", Node("outsider", other));
        var (listener, path) = _nodes.Listener(a);
        var warnings = _nodes.Warnings(a);

        await AssertStillTalkingAsync(a, b);
        outsider.ActorSelection(path).Tell(new Probe(4));

        await RemoteNodes.ExpectWarningAsync(warnings, "was not issued by CN=cluster CA", "a refusing the outsider's certificate");
        await listener.ExpectNoMsgAsync(Quiet);
        await AssertStillTalkingAsync(a, b);
    }

    /// <summary>The two trusted nodes still run and still reach each other, both ways.</summary>
    private async Task AssertStillTalkingAsync(ActorSystem a, ActorSystem b)
    {
        Assert.False(a.WhenTerminated.IsCompleted, $"{a.Name} terminated");
        Assert.False(b.WhenTerminated.IsCompleted, $"{b.Name} terminated");
        var (listenerA, pathA) = _nodes.Listener(a);
        var (listenerB, pathB) = _nodes.Listener(b);
        (await _nodes.IdentifyAsync(b, pathA)).Tell(new Probe(10));
        (await _nodes.IdentifyAsync(a, pathB)).Tell(new Probe(11));
        await listenerA.ExpectMsgAsync(new Probe(10), RemoteNodes.Patience, $"Probe(10) from {b.Name} to {a.Name}");
        await listenerB.ExpectMsgAsync(new Probe(11), RemoteNodes.Patience, $"Probe(11) from {a.Name} to {b.Name}");
    }

    private static async Task AssertTerminatesAsync(ActorSystem system, string what)
    {
        var finished = await Task.WhenAny(system.WhenTerminated, Task.Delay(RemoteNodes.Patience));
        Assert.True(finished == system.WhenTerminated, $"{what} did not terminate within {RemoteNodes.Patience}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await _nodes.DisposeAsync();
}
