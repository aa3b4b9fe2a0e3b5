using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace Actors.Cluster;

/// <summary>
/// Downs at once a member whose process is known to be gone, instead of waiting for the failure
/// detector and the split brain resolver. When Akka's attempt to connect to a member fails because
/// the connection was refused (its association error says so), this node dials the member's port
/// once to confirm: a refused connection after the member was up means no process listens there
/// any more — it crashed or was killed — so it is downed now and its chunks run elsewhere. A dial
/// that is answered (the process lives: a pause, SIGSTOP) or that times out (silence: a cut link,
/// a machine gone) proves nothing, and the failure detector and resolver decide as before. Only a
/// refused connection is dialled: a dial that is answered is a TLS handshake never begun, which
/// the live member would log as a refused peer. A member reported exited by whoever started its
/// process (<see cref="DownExitedMember"/>, from <c>cluster up</c>) is dialled the same way and
/// downed when its port refuses: the report is taken as a reason to look, never as proof, so no
/// peer can down a live member by saying so.
/// </summary>
/// <remarks>Every member runs one (<see cref="ClusterNode.CreateSystem"/>); several downing the same dead member is harmless.</remarks>
internal sealed class DeadMemberDowner : ReceiveActor
{
    /// <summary>Its name under <c>/user</c>.</summary>
    public const string Name = "actors-dead-member-downer";

    /// <param name="Reason">What led to the dial (for the log and the view).</param>
    /// <param name="ReplyTo">Who reported the member exited and waits for an answer; null for a dial of this node's own.</param>
    private sealed record Dialled(Address Member, DialOutcome Outcome, string Detail, string Reason, IActorRef? ReplyTo) : INoSerializationVerificationNeeded;

    private const string RefusedReason = "its port refused a connection after it was up: no process listens there any more";

    private enum DialOutcome
    {
        Answered,
        Refused,
        Silent,
    }

    private readonly TimeSpan _dialTimeout;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Members being dialled now: one dial at a time per member.</summary>
    private readonly HashSet<Address> _dialling = new();

    /// <param name="dialTimeout">How long a dial may take before it counts as silence (<c>actors.cluster.dead-member-dial-timeout</c>).</param>
    public DeadMemberDowner(TimeSpan dialTimeout)
    {
        _dialTimeout = dialTimeout;
        Receive<AssociationErrorEvent>(error => Refused(error.Cause), error => Suspect(error.RemoteAddress));
        Receive<AssociationErrorEvent>(_ => { });
        Receive<DownExitedMember>(Reported);
        Receive<Dialled>(Judge);
    }

    /// <summary>Start it as <c>system.ActorOf(DeadMemberDowner.Props(timeout), DeadMemberDowner.Name)</c>.</summary>
    public static Props Props(TimeSpan dialTimeout) => Akka.Actor.Props.Create(() => new DeadMemberDowner(dialTimeout));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <summary>
    /// Whether an association failed because the connection was refused. Akka's TCP transport
    /// keeps only the socket error's text ("Connection refused" and the address) when it wraps it.
    /// </summary>
    private static bool Refused(Exception? cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
            if (e.Message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void Suspect(Address address)
    {
        if (address == _cluster.SelfAddress || Serving(address) is null || !_dialling.Add(address)) return;
        DialAsync(address, _dialTimeout, RefusedReason, replyTo: null).PipeTo(Self);
    }

    private void Reported(DownExitedMember report)
    {
        if (!Address.TryParse(report.Member, out var address) || address == _cluster.SelfAddress || Serving(address) is null)
        {
            Sender.Tell(new ExitedMemberNoted(report.Member, false, "not a member in good standing here (already down, leaving or removed)"));
            return;
        }
        DialAsync(address, _dialTimeout, report.Reason, Sender).PipeTo(Self);
    }

    private void Judge(Dialled dialled)
    {
        _dialling.Remove(dialled.Member);
        var member = dialled.Outcome == DialOutcome.Refused ? Serving(dialled.Member) : null;
        if (member is not null)
        {
            _log.Warning("member {0} (roles: {1}) is gone: {2} ({3}); downing it now, without waiting for the failure detector (actors.cluster.down-dead-members)",
                member.Address, string.Join(", ", member.Roles), dialled.Reason, dialled.Detail);
            _cluster.Down(member.Address);
            Context.System.EventStream.Publish(new DeadMemberDowned(member.Address, dialled.Reason));
        }
        dialled.ReplyTo?.Tell(new ExitedMemberNoted(dialled.Member.ToString(), member is not null, member is not null
            ? $"downed: {dialled.Detail}"
            : dialled.Outcome == DialOutcome.Refused ? "no longer a member in good standing" : $"not downed: its port did not refuse ({dialled.Detail})"));
    }

    /// <summary>The member at <paramref name="address"/> when it is (or was becoming) a member in good standing; leaving members go in order.</summary>
    private Member? Serving(Address address) =>
        _cluster.State.Members.FirstOrDefault(member => member.Address == address && member.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining);

    /// <summary>Dials the member's host and port once; runs outside the actor.</summary>
    private static async Task<Dialled> DialAsync(Address member, TimeSpan timeout, string reason, IActorRef? replyTo)
    {
        Dialled Outcome(DialOutcome outcome, string detail) => new(member, outcome, detail, reason, replyTo);
        if (member.Host is not { } host || member.Port is not { } port) return Outcome(DialOutcome.Silent, "no host and port");
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return Outcome(DialOutcome.Answered, "connected");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Outcome(DialOutcome.Refused, $"{host}:{port} refused the connection");
        }
        catch (SocketException e)
        {
            return Outcome(DialOutcome.Silent, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Outcome(DialOutcome.Silent, $"no answer within {timeout}");
        }
    }
}
