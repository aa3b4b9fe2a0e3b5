using System.Reflection;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Util;

namespace Actors.Security;

/// <summary>
/// Keeps a node running when a TLS connection it dials fails its handshake.
/// </summary>
/// <remarks>
/// Akka.Remote 1.5.75 runs <see cref="CoordinatedShutdown"/> (exit code 79) whenever an outbound
/// TLS handshake fails: the peer's certificate was refused, the peer refused ours, or the peer
/// closed the connection mid-handshake. A failed <em>inbound</em> handshake is only logged. So a
/// stranger cannot stop a node by connecting to it, but it can by listening where the node will
/// dial — a dead worker process's port, taken over — and a worker killed during a handshake has
/// the same effect. The guard is a shutdown phase that runs before every other one; when the
/// shutdown's reason is such a handshake failure it fails, which (the phase does not recover)
/// abandons the shutdown before anything has stopped. It then makes the shutdown runnable again, so
/// a later <c>Terminate</c>, SIGTERM or cluster downing still shuts the node down. The refused
/// connection is closed by Akka either way; the refusal and its reason are logged. One gap
/// remains: a shutdown requested in the instant between the failed handshake and the re-arming
/// (microseconds) gets the abandoned run's failed task and does not happen.
/// </remarks>
internal static class OutboundHandshakeGuard
{
    /// <summary>The shutdown phase the guard's task runs in.</summary>
    public const string Phase = "actors-outbound-tls-guard";

    private const string HandshakeFailureReason = "Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason";

    // CoordinatedShutdown runs only once and keeps its outcome in these two fields; the guard
    // resets them after abandoning a run. Found when this type is first used, so that an Akka
    // version that renamed them fails at start-up, not during an attack.
    private static readonly FieldInfo RunStarted = Field("_runStarted");
    private static readonly FieldInfo RunPromise = Field("_runPromise");

    /// <summary>
    /// The HOCON the guard needs: its phase, ordered before Akka's first phase, with recovery off.
    /// </summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        akka.coordinated-shutdown.phases {
          # Abandons a shutdown caused by a failed outbound TLS handshake (see OutboundHandshakeGuard).
          {{Phase}} { timeout = 5s, recover = off }
          before-service-unbind.depends-on = [{{Phase}}]
        }
        """);

    /// <summary>Adds the guard's task to <paramref name="system"/>, whose configuration must include <see cref="Hocon"/>.</summary>
    /// <exception cref="InvalidOperationException">The system's configuration lacks the guard's phase.</exception>
    public static void Install(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var shutdown = CoordinatedShutdown.Get(system);
        try
        {
            shutdown.Timeout(Phase);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{system.Name}: the configuration lacks the shutdown phase {Phase} (OutboundHandshakeGuard.Hocon).", e);
        }
        var log = Akka.Event.Logging.GetLogger(system, typeof(OutboundHandshakeGuard));
        shutdown.AddTask(Phase, "refuse-shutdown-on-outbound-tls-failure", () =>
        {
            if (shutdown.ShutdownReason?.GetType().FullName != HandshakeFailureReason) return Task.FromResult(Done.Instance);
            log.Warning("Staying up after a failed outbound TLS handshake ({0}); the connection was refused and closed.", shutdown.ShutdownReason);
            var abandoned = (TaskCompletionSource<Done>)RunPromise.GetValue(shutdown)!;
            abandoned.Task.ContinueWith(_ => Rearm(shutdown), TaskContinuationOptions.ExecuteSynchronously);
            return Task.FromException<Done>(new OperationCanceledException("shutdown abandoned: only an outbound TLS handshake failed"));
        });
    }

    private static void Rearm(CoordinatedShutdown shutdown)
    {
        // A fresh promise first, then the run flag: a Run that starts after this completes the new promise.
        RunPromise.SetValue(shutdown, new TaskCompletionSource<Done>());
        ((AtomicReference<CoordinatedShutdown.Reason>)RunStarted.GetValue(shutdown)!).Value = null!;
    }

    private static FieldInfo Field(string name) =>
        typeof(CoordinatedShutdown).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"CoordinatedShutdown.{name} is missing: this Akka version is not the one OutboundHandshakeGuard was written for (1.5.75).");
}
