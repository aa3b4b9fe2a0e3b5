using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Actors.Jobs;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Processes;

/// <summary>
/// A worker node: an actor system that pools deploy workers into. Started by a pool in processes
/// mode (it then reports ready to its parent and exits when the parent goes), or by hand
/// (<c>actors node --role worker --port P</c>) for pools that list it in
/// <c>actors.pool.processes.nodes</c>.
/// </summary>
public static class WorkerNode
{
    /// <summary>The name of a worker node's actor system.</summary>
    public const string SystemName = "actors-worker";

    /// <summary>Runs a worker node until its parent dies, the token is cancelled, or the system terminates.</summary>
    /// <returns>The process exit code: 0 after an orderly stop.</returns>
    /// <exception cref="ArgumentException">The hostname is not a valid host name or address.</exception>
    /// <exception cref="FileNotFoundException">A job assembly does not exist.</exception>
    public static async Task<int> RunAsync(WorkerHostArguments options, Config config, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (Uri.CheckHostName(options.Hostname) == UriHostNameType.Unknown)
            throw new ArgumentException($"'{options.Hostname}' is not a host name or an IP address", nameof(options));
        var jobTypes = LoadJobAssemblies(options.Assemblies);
        var nodeConfig = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.hostname = "{{options.Hostname}}"
            akka.remote.dot-netty.tcp.port = {{options.Port}}
            akka.coordinated-shutdown.exit-clr = off
            """).WithFallback(config);
        var system = ActorSystem.Create(SystemName, nodeConfig);
        var wireTypes = WireTypes.For(system);
        foreach (var type in jobTypes)
        {
            var (inputType, outputType, _) = JobRunner.ShapeOf(type);
            wireTypes.Register(inputType);
            wireTypes.Register(outputType);
        }

        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        output.WriteLine(WorkerHostOutput.Listening(Environment.ProcessId, address));
        output.Flush();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Parent is { } parent)
        {
            WorkerHostOutput.For(system).Output = output;
            system.ActorOf(ParentWatcher.Props(parent, new WorkerHostReady(Environment.ProcessId, address.ToString())), "parent-watcher");
        }
        if (options.ParentPid is { } pid) _ = ExitWithParentAsync(pid, stop);

        var terminated = system.WhenTerminated;
        await Task.WhenAny(terminated, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        if (!terminated.IsCompleted)
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        return 0;
    }

    internal static async Task ExitWithParentAsync(int pid, CancellationTokenSource stop)
    {
        try
        {
            using var parent = Process.GetProcessById(pid);
            await parent.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // The parent is gone already.
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await stop.CancelAsync().ConfigureAwait(false);
    }

    internal static List<Type> LoadJobAssemblies(IReadOnlyList<string> paths)
    {
        var loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            name.Name is { } simple && loaded.TryGetValue(simple, out var assembly) ? assembly : null;
        var jobs = new List<Type>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"job assembly {path} does not exist", path);
            var assembly = Assembly.LoadFrom(path);
            loaded[assembly.GetName().Name!] = assembly;
            jobs.AddRange(JobTypesIn(assembly));
        }
        return jobs;
    }

    private static IEnumerable<Type> JobTypesIn(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }
        return types.OfType<Type>().Where(type => type is { IsClass: true, IsAbstract: false } && type.GetInterfaces().Any(IsJobContract)
            && type.GetConstructor(Type.EmptyTypes) is not null);
    }

    private static bool IsJobContract(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IJobContract<,>);

    /// <summary>Reports ready to the parent pool, and stops the node when the parent is gone.</summary>
    private sealed class ParentWatcher : ReceiveActor, IWithTimers
    {
        private sealed class Retry : INoSerializationVerificationNeeded
        {
            public static readonly Retry Instance = new();
        }

        private readonly ActorSelection _parent;
        private readonly WorkerHostReady _ready;

        public ParentWatcher(string parentPath, WorkerHostReady ready)
        {
            _parent = Context.ActorSelection(parentPath);
            _ready = ready;
            Receive<ActorIdentity>(identity =>
            {
                if (identity.Subject is not { } parent) return; // not reachable yet: the retry timer asks again
                Timers.Cancel("identify");
                Context.Watch(parent);
                parent.Tell(_ready);
            });
            Receive<Retry>(_ => _parent.Tell(new Identify("parent")));
            Receive<Terminated>(_ => CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClrExitReason.Instance));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        public static Props Props(string parentPath, WorkerHostReady ready) => Akka.Actor.Props.Create(() => new ParentWatcher(parentPath, ready));

        protected override void PreStart()
        {
            _parent.Tell(new Identify("parent"));
            Timers.StartPeriodicTimer("identify", Retry.Instance, TimeSpan.FromSeconds(1));
        }
    }
}
