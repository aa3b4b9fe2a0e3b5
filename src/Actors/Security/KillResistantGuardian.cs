using Akka.Actor;
using Akka.Configuration;

namespace Actors.Security;

/// <summary>
/// The supervisor strategy of a node's top-level actors (<c>akka.actor.guardian-supervisor-strategy</c>)
/// under which a <see cref="Kill"/> costs nothing: the killed actor is resumed with its state, and
/// the kill is logged as a warning. Every other failure is decided as Akka decides by default
/// (restart; stop on a failed start or a death pact).
/// </summary>
/// <remarks>
/// Akka.NET 1.5.75's <see cref="Kill"/> is not <see cref="IPossiblyHarmful"/> (unlike
/// <see cref="PoisonPill"/>), so <c>akka.remote.untrusted-mode</c> lets it through — by reference,
/// and inside a selection of a trusted path — and under the default strategy the actor that
/// receives it stops. Any peer that gets past the wire's authentication could stop a top-level
/// actor it can name. Use this strategy in a node whose top-level actors nobody has reason to kill.
/// It covers the children of <c>/user</c> only; their own children follow their parent's strategy.
/// </remarks>
public sealed class KillResistantGuardian : SupervisorStrategyConfigurator
{
    /// <summary>The strategy: resume on <see cref="ActorKilledException"/>, otherwise Akka's default decisions.</summary>
    public static SupervisorStrategy Strategy { get; } = new OneForOneStrategy(Decider.From(
        Directive.Restart,
        Directive.Resume.When<ActorKilledException>(),
        Directive.Stop.When<ActorInitializationException>(),
        Directive.Stop.When<DeathPactException>()));

    /// <summary>The HOCON that makes it the strategy of a system's top-level actors.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString(
        $"akka.actor.guardian-supervisor-strategy = \"{typeof(KillResistantGuardian).FullName}, {typeof(KillResistantGuardian).Assembly.GetName().Name}\"");

    /// <inheritdoc />
    public override SupervisorStrategy Create() => Strategy;
}
