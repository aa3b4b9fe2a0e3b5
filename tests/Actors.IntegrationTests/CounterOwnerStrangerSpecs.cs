using System.Security.Cryptography.X509Certificates;
using Actors.Security;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Counter;
using SharedState.Processes;

namespace Actors.IntegrationTests;

/// <summary>
/// The process that owns the counter of the SharedState sample, with its two real client
/// processes, while other actor systems on the same machine that know its address (it is easy to
/// learn) try to use the counter: one without TLS, one with a certificate of its own that trusts the
/// owner's (a certificate is public: every handshake shows it), and one holding the owner's very
/// credentials, as a client that turned hostile would. The first two get no answer at all; the
/// third reaches only the counter and the barrier, and can neither stop them nor deploy anything.
/// The clients count exactly through all of it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CounterOwnerStrangerSpecs : TestKit, IAsyncLifetime
{
    /// <summary>How long an outsider's attempt is given to come through before it counts as refused.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    /// <summary>How long one exchange that must happen may take on a loaded two-core machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const int Increments = 10_000;

    private readonly SharedStateSettings _settings = SharedStateSettings.Default;
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromMinutes(3));
    private readonly List<ActorSystem> _outsiders = [];
    private CounterOwner _owner = null!;
    private Address _ownerAddress = null!;

    public Task InitializeAsync()
    {
        _owner = CounterOwner.Start(_settings, clients: 2);
        _ownerAddress = Address.Parse(_owner.Address);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var outsider in _outsiders) await outsider.Terminate().WaitAsync(Patience);
        // Kills any client still running, then stops the owner.
        await _owner.DisposeAsync();
        _deadline.Dispose();
    }

    [Fact]
    public async Task Systems_without_the_owners_certificate_must_get_no_answer_while_the_clients_count_exactly()
    {
        var refusals = Warnings(_owner.System);
        var plain = Outsider(ActorSystem.Create("plain", _settings.RemoteNode));
        var ownCertificate = CertificateFactory.CreateSelfSigned(CounterOwner.SystemName, TimeSpan.FromDays(1));
        var stranger = Outsider(new TlsPolicy(ownCertificate, PeerTrust.Pinned([ownCertificate, OwnerCertificate()]))
            .CreateActorSystem("stranger", _settings.RemoteNode));
        // Each outsider's answers come back to a probe of its own system (a reply cannot reach another one).
        var answers = new[] { plain, stranger }.ToDictionary(system => system, system => CreateTestProbe(system));
        var asks = new List<Task<CountIs>>();

        foreach (var (outsider, probe) in answers)
        {
            // A plain-TCP system can only name the TLS port under its own protocol.
            var at = outsider == plain ? new Address("akka.tcp", _ownerAddress.System, _ownerAddress.Host, _ownerAddress.Port) : _ownerAddress;
            foreach (var name in new[] { CounterOwner.CounterName, CounterOwner.BarrierName })
                outsider.ActorSelection(new RootActorPath(at) / "user" / name).Tell(new Identify(name), probe.Ref);
            // A reference built from the address, as a client resolves one: increments for slot 0, and a read.
            var counter = ((ExtendedActorSystem)outsider).Provider.ResolveActorRef(new RootActorPath(at) / "user" / CounterOwner.CounterName);
            for (var i = 0; i < 100; i++) counter.Tell(new Increment(0));
            asks.Add(counter.Ask<CountIs>(GetCount.Instance, Quiet));
        }
        // Both reached the owner's port and were turned away there, by its TLS.
        await ExpectWarningAsync(refusals, w => Says(w, "is not the pinned one"), "the owner refusing the stranger's certificate");
        await ExpectWarningAsync(refusals, w => Says(w, "TLS handshake failure"), "the owner refusing plain TCP on its TLS port");

        await AssertClientsCountExactlyAsync();

        foreach (var ask in asks) await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        await Outsiders.AssertNoSubjectAsync(answers.Values, Quiet);
    }

    [Fact]
    public async Task A_holder_of_the_owners_certificate_must_reach_only_the_counter_and_the_barrier_and_stop_or_deploy_nothing()
    {
        var insider = Outsider(WireSecurity.For(_owner.System).Policy!.CreateActorSystem("insider", _settings.RemoteNode));
        var counterPath = new RootActorPath(_ownerAddress) / "user" / CounterOwner.CounterName;
        var identified = CreateTestProbe(insider);
        insider.ActorSelection(counterPath).Tell(new Identify("counter"), identified.Ref);
        // The control: the wire lets this one through, so what it does not get below is untrusted mode refusing it.
        var counter = (await identified.ExpectMsgAsync<ActorIdentity>(Patience, "the counter identifying itself to a holder of the certificate")).Subject;
        Assert.NotNull(counter);

        var ownerWarnings = Warnings(_owner.System);
        var refused = CreateTestProbe(insider);
        foreach (var path in new[] { new RootActorPath(_ownerAddress) / "user", new RootActorPath(_ownerAddress) / "system" })
            insider.ActorSelection(path).Tell(new Identify(path.ToString()), refused.Ref);
        var deployed = insider.ActorOf(CounterActor.Props(slots: 2).WithDeploy(new Deploy(new RemoteScope(_ownerAddress))), "deployed-counter");
        deployed.Tell(GetCount.Instance, refused.Ref);
        var barrier = insider.ActorSelection(new RootActorPath(_ownerAddress) / "user" / CounterOwner.BarrierName);
        foreach (var stop in new object[] { PoisonPill.Instance, Kill.Instance })
        {
            counter.Tell(stop);
            barrier.Tell(stop); // had the barrier stopped, the clients would never start
        }
        // Untrusted mode drops the PoisonPills but lets the Kills through; the owner's guardian resumes both actors.
        await ExpectWarningAsync(ownerWarnings, w => w.Cause is ActorKilledException, "the owner resuming an actor the insider killed");

        await AssertClientsCountExactlyAsync();

        await Outsiders.AssertNoSubjectAsync([refused], Quiet);
        Assert.False(insider.WhenTerminated.IsCompleted, "the insider's system was shut down");
    }

    /// <summary>The two client processes run one round; the owner then holds exactly their increments, slot by slot.</summary>
    private async Task AssertClientsCountExactlyAsync()
    {
        await _owner.StartClientsAsync(Increments, rounds: 1, _deadline.Token);
        await _owner.RunRoundAsync(first: true, _deadline.Token);
        await _owner.WaitForClientsAsync(_deadline.Token);

        var count = await _owner.GetCountAsync(_deadline.Token);
        Assert.Equal([(long)Increments, Increments], count.Slots);
        Assert.Equal(2L * Increments, count.Total);
        Assert.False(_owner.System.WhenTerminated.IsCompleted, "the owner was shut down");
    }

    /// <summary>The public part of the owner's certificate, as any peer of a handshake with it sees it.</summary>
    private X509Certificate2 OwnerCertificate() =>
        X509CertificateLoader.LoadCertificate(WireSecurity.For(_owner.System).Policy!.Certificate.RawData);

    private TestProbe Warnings(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    private static async Task ExpectWarningAsync(TestProbe warnings, Predicate<Warning> wanted, string what) =>
        await warnings.FishForMessageAsync(wanted, Patience, $"a warning: {what}");

    private static bool Says(Warning warning, string text) => warning.Message?.ToString()?.Contains(text, StringComparison.Ordinal) == true;

    private ActorSystem Outsider(ActorSystem system)
    {
        _outsiders.Add(system);
        return system;
    }
}
