using System.Collections.Concurrent;
using Akka.Actor;

namespace Actors.Jobs;

/// <summary>
/// The job types an actor system's workers may run. Unrestricted by default (a pool's own
/// process runs whatever its caller maps); a worker host restricts it to the jobs of the
/// assemblies its pool told it to load and the built-in ones, so that a message naming any other
/// type never instantiates it.
/// </summary>
internal sealed class AllowedJobs : IExtension
{
    private readonly ConcurrentDictionary<string, byte> _names = new(StringComparer.Ordinal);

    /// <summary>The registry of <paramref name="system"/>.</summary>
    public static AllowedJobs For(ActorSystem system) => system.WithExtension<AllowedJobs, Provider>();

    /// <summary>Whether only the allowed job types may run.</summary>
    public bool Restricted { get; private set; }

    /// <summary>From now on only <paramref name="jobTypes"/> (and those allowed later) may run.</summary>
    public void RestrictTo(IEnumerable<Type> jobTypes)
    {
        foreach (var type in jobTypes) _names.TryAdd(JobRunner.NameOf(type), 0);
        Restricted = true;
    }

    /// <summary>Whether a job type, by the name it travels under, may run here.</summary>
    public bool Permits(string jobTypeName) => !Restricted || _names.ContainsKey(jobTypeName);

    private sealed class Provider : ExtensionIdProvider<AllowedJobs>
    {
        public override AllowedJobs CreateExtension(ExtendedActorSystem system) => new();
    }
}
