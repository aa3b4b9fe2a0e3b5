using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Protocol;
using Actors.Security;
using Actors.Serialization;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Workers;

/// <summary>
/// A worker host: an actor system that creates a pool's workers (<see cref="WorkerHost"/>) and
/// lets the pool list them. Started by a pool in processes mode (it then takes its TLS credentials
/// from standard input, names each chunk it starts on standard output, and exits when the pool
/// closes its input or its process dies), or by hand (<c>actors node --role worker --port P</c>)
/// for pools that list it in <c>actors.pool.processes.nodes</c>. Either way it accepts no remote
/// deployment and no actor selection but of its workers, and runs only the jobs of the assemblies
/// it loaded.
/// </summary>
internal static class WorkerNode
{
    /// <summary>The name of a worker host's actor system.</summary>
    public const string SystemName = "actors-worker";

    /// <summary>The setting that has a host write its start-up steps to standard error.</summary>
    private const string LogStartUpPath = "actors.pool.processes.log-start-up";

    /// <summary>Runs a worker host until its pool lets go of it, the token is cancelled, or the system terminates.</summary>
    /// <param name="arguments">Its command line.</param>
    /// <param name="config">The configuration the pool was loaded with (or the node's own).</param>
    /// <param name="input">Standard input: the credential line, then, for a pool-started host, end of input means stop.</param>
    /// <param name="output">Standard output: the listening line and the chunk announcements.</param>
    /// <param name="cancellationToken">Stops the host in order.</param>
    /// <returns>The process exit code: 0 after an orderly stop.</returns>
    /// <exception cref="ArgumentException">The hostname is not a valid host name or address.</exception>
    /// <exception cref="FileNotFoundException">A job assembly does not exist.</exception>
    /// <exception cref="ConfigException">TLS is on but no credentials can be had.</exception>
    public static async Task<int> RunAsync(WorkerHostArguments arguments, Config config, TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (Uri.CheckHostName(arguments.Hostname) == UriHostNameType.Unknown)
            throw new ArgumentException($"'{arguments.Hostname}' is not a host name or an IP address", nameof(arguments));
        var hostConfig = HostConfig(arguments).WithFallback(KillResistantGuardian.Hocon).WithFallback(config);
        var poolStarted = arguments.ParentPid is not null;
        var tls = WireSecuritySettings.Create(hostConfig);
        // Three things at once: the TLS credentials come from the pool (a pipe, then a certificate
        // import), the job assemblies load, and the actor system's start-up that needs no
        // credentials (the application configuration file Akka reads) is done ahead.
        var credentials = Task.Run(() => PolicyAsync(tls, poolStarted, input, cancellationToken), cancellationToken);
        var ahead = tls.Enabled ? Task.Run(ConfigurationFactory.Load, cancellationToken) : Task.CompletedTask;
        var jobTypes = LoadJobAssemblies(arguments.Assemblies);
        StartUpSteps.Mark("job assemblies");
        var policy = await credentials.ConfigureAwait(false);
        StartUpSteps.Mark("credentials");
        await ahead.ConfigureAwait(false);
        var system = policy?.CreateActorSystem(SystemName, hostConfig) ?? ActorSystem.Create(SystemName, hostConfig);
        StartUpSteps.Mark("actor system");

        var wireTypes = WireTypes.For(system);
        foreach (var type in jobTypes)
        {
            var (inputType, outputType, _) = JobRunner.ShapeOf(type);
            wireTypes.Register(inputType);
            wireTypes.Register(outputType);
        }
        AllowedJobs.For(system).RestrictTo(jobTypes);
        if (poolStarted) WorkerHostOutput.For(system).Output = output;
        system.ActorOf(WorkerHost.Props(arguments.Workers), WorkerHostArguments.WorkersPath.Split('/')[^1]);

        output.WriteLine(WorkerHostOutput.Listening(Environment.ProcessId, ((ExtendedActorSystem)system).Provider.DefaultAddress));
        output.Flush();
        StartUpSteps.Mark("listening");
        if (hostConfig.GetBoolean(LogStartUpPath))
        {
            await Console.Error.WriteLineAsync(StartUpSteps.Describe()).ConfigureAwait(false);
            // The pool's first question comes after its TLS handshake and Akka's association handshake.
            StartUpSteps.DescribeAgainAtFirstList = true;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (arguments.ParentPid is { } pid)
        {
            _ = ExitWithParentAsync(pid, stop);
            _ = StopAtEndOfInputAsync(input, stop); // the pool closes our input to ask for an orderly stop
        }
        var terminated = system.WhenTerminated;
        await Task.WhenAny(terminated, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        if (!terminated.IsCompleted)
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The host's own settings over the pool's: it listens where told, trusts nobody to deploy into
    /// it or select anything but its workers (and the failure detector's heartbeats), and logs to
    /// standard error, standard output being the pool's. Its top-level actors shrug off a
    /// <see cref="Kill"/>, the one harmful message untrusted mode lets through.
    /// </summary>
    private static Config HostConfig(WorkerHostArguments arguments) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = {{HoconSyntax.Quote(arguments.Hostname)}}
        akka.remote.dot-netty.tcp.port = {{arguments.Port}}
        akka.remote.untrusted-mode = on
        akka.remote.trusted-selection-paths = ["{{WorkerHostArguments.WorkersPath}}", "/system/remote-watcher"]
        akka.loggers = ["Actors.Logging.ReadableConsoleLogger, Actors.Core"]
        akka.coordinated-shutdown.exit-clr = off
        """);

    private static async Task<TlsPolicy?> PolicyAsync(WireSecuritySettings tls, bool poolStarted, TextReader input, CancellationToken cancellationToken)
    {
        if (!tls.Enabled) return null;
        if (poolStarted) return await CredentialChannel.ReadAsync(input, tls.HandOffTimeout, cancellationToken).ConfigureAwait(false);
        if (tls.Credentials == CredentialSource.Files) return TlsPolicy.FromSettings(tls, SystemName);
        throw new ConfigException(
            $"{WireSecuritySettings.Path}.credentials = ephemeral: a worker node started by hand has no pool to take its credentials from. " +
            "Give it certificate files (actors cert node …, credentials = files) or turn TLS off.");
    }

    private static async Task StopAtEndOfInputAsync(TextReader input, CancellationTokenSource stop)
    {
        try
        {
            await input.ReadToEndAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return;
        }
        await stop.CancelAsync().ConfigureAwait(false);
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

    /// <summary>Loads the job assemblies; returns every job type they hold, with the library's and the host executable's own.</summary>
    internal static List<Type> LoadJobAssemblies(IReadOnlyList<string> paths)
    {
        var loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            name.Name is { } simple && loaded.TryGetValue(simple, out var assembly) ? assembly : null;
        var jobs = JobTypesIn(typeof(IJob<,>).Assembly).ToList();
        // The host executable's own jobs: the actors command's, when it runs a worker node by hand
        // (when the library's assembly is the host, they are the library's, listed already).
        if (Assembly.GetEntryAssembly() is { } host && host != typeof(IJob<,>).Assembly) jobs.AddRange(JobTypesIn(host));
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"job assembly {path} does not exist", path);
            var assembly = Assembly.LoadFrom(path);
            loaded[assembly.GetName().Name!] = assembly;
            jobs.AddRange(JobTypesIn(assembly).Where(type => !jobs.Contains(type)).ToList());
        }
        return jobs;
    }

    /// <summary>
    /// The public job types of <paramref name="assembly"/> (a job is a public class). Only exported
    /// types are loaded: every type of an assembly would load what its internal types derive from
    /// (for the <c>actors</c> command, its samples and the console toolkit), which cost a worker
    /// process about a third more CPU in this step.
    /// </summary>
    private static IEnumerable<Type> JobTypesIn(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or ReflectionTypeLoadException)
        {
            types = AllTypesIn(assembly);
        }
        return types.OfType<Type>().Where(type => type is { IsClass: true, IsAbstract: false, IsVisible: true } && type.GetInterfaces().Any(IsJobContract)
            && type.GetConstructor(Type.EmptyTypes) is not null);
    }

    /// <summary>Every type that loads, when the exported ones cannot all be (a dependency of one is missing).</summary>
    private static Type?[] AllTypesIn(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types;
        }
    }

    private static bool IsJobContract(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IJobContract<,>);
}
