using System.Globalization;
using Actors.Configuration;
using Akka.Configuration;

namespace SharedState;

/// <summary>
/// The sample's settings: the <c>shared-state</c> section of a configuration, falling back to the
/// embedded <c>shared-state.conf</c> for every key it lacks.
/// </summary>
public sealed record SharedStateSettings
{
    private static readonly Lazy<Config> LazyDefaults = new(() =>
    {
        using var stream = typeof(SharedStateSettings).Assembly.GetManifestResourceStream("SharedState.shared-state.conf")
            ?? throw new InvalidOperationException("shared-state.conf is not embedded in the SharedState assembly.");
        using var reader = new StreamReader(stream);
        return ActorsConfig.Parse(reader.ReadToEnd(), "shared-state.conf");
    });

    /// <summary>The embedded defaults, over the library's.</summary>
    public static Config Defaults => LazyDefaults.Value.WithFallback(ActorsConfig.Defaults);

    public required TimeSpan AskTimeout { get; init; }
    public required int LockProducers { get; init; }
    public required int LockIncrements { get; init; }
    public required TimeSpan SelfAskTimeout { get; init; }
    public required int Permits { get; init; }
    public required int Requesters { get; init; }
    public required TimeSpan WorkTime { get; init; }
    public required int QueueCapacity { get; init; }
    public required int QueueProducers { get; init; }
    public required int QueueItems { get; init; }
    public required int Clients { get; init; }
    public required int ClientIncrements { get; init; }
    public required TimeSpan ClientStartTimeout { get; init; }
    public required TimeSpan ClientRunTimeout { get; init; }
    public required int ClusterIncrements { get; init; }
    public required TimeSpan JoinTimeout { get; init; }
    public required TimeSpan MajorityTimeout { get; init; }

    /// <summary>The actor system configuration of a process in the cross-process row.</summary>
    public required Config RemoteNode { get; init; }

    /// <summary>The actor system configuration of a node in the cluster row.</summary>
    public required Config ClusterNode { get; init; }

    /// <summary>The settings with every default.</summary>
    public static SharedStateSettings Default => Create(Config.Empty);

    /// <summary>Reads <c>shared-state</c> from <paramref name="config"/>, over the defaults.</summary>
    /// <exception cref="ArgumentException">A value is not of its kind or out of range; the message names the key.</exception>
    public static SharedStateSettings Create(Config config)
    {
        var s = (config ?? Config.Empty).WithFallback(Defaults).GetConfig("shared-state");
        return new SharedStateSettings
        {
            AskTimeout = Duration(s, "ask-timeout"),
            LockProducers = Count(s, "lock.producers"),
            LockIncrements = Count(s, "lock.increments"),
            SelfAskTimeout = Duration(s, "reentrancy.self-ask-timeout"),
            Permits = Count(s, "semaphore.permits"),
            Requesters = Count(s, "semaphore.requesters"),
            WorkTime = Duration(s, "semaphore.work-time"),
            QueueCapacity = Count(s, "queue.capacity"),
            QueueProducers = Count(s, "queue.producers"),
            QueueItems = Count(s, "queue.items"),
            Clients = Count(s, "processes.clients"),
            ClientIncrements = Count(s, "processes.increments"),
            ClientStartTimeout = Duration(s, "processes.start-timeout"),
            ClientRunTimeout = Duration(s, "processes.run-timeout"),
            ClusterIncrements = Count(s, "cluster.increments"),
            JoinTimeout = Duration(s, "cluster.join-timeout"),
            MajorityTimeout = Duration(s, "cluster.majority-timeout"),
            RemoteNode = s.GetConfig("remote-node").WithFallback(ActorsConfig.Defaults),
            ClusterNode = s.GetConfig("cluster-node").WithFallback(ActorsConfig.Defaults),
        };
    }

    private static int Count(Config section, string key)
    {
        int value;
        try
        {
            value = section.GetInt(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException)
        {
            throw new ArgumentException($"shared-state.{key} = {section.GetString(key)}: must be a whole number.", key, e);
        }
        return value >= 1
            ? value
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"shared-state.{key} = {value}: must be at least 1."), key);
    }

    private static TimeSpan Duration(Config section, string key)
    {
        var value = section.GetTimeSpan(key, null, allowInfinite: false);
        return value > TimeSpan.Zero
            ? value
            : throw new ArgumentException($"shared-state.{key} = {section.GetString(key)}: must be a positive duration.", key);
    }
}
