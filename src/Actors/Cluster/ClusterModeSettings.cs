using Actors.Configuration;
using Akka.Configuration;
using static Actors.Configuration.SettingRules;

namespace Actors.Cluster;

/// <summary>The <c>actors.cluster</c> section: pools on cluster members, and the nodes that run them (defaults in <c>reference.conf</c>).</summary>
public sealed record ClusterModeSettings
{
    /// <summary>The HOCON path of the section.</summary>
    public const string SectionPath = "actors.cluster";

    /// <summary>The role of the members that host workers (<c>worker-role</c>).</summary>
    public required string WorkerRole { get; init; }

    /// <summary>Workers per member for a router that is not cluster-aware (<c>workers-per-node</c>).</summary>
    public required int WorkersPerNode { get; init; }

    /// <summary>How long a pool without worker members waits for one before waiting inputs fail (<c>wait-for-workers</c>).</summary>
    public required TimeSpan WaitForWorkers { get; init; }

    /// <summary>How long a node may take to become a member before it says so (<c>join-timeout</c>).</summary>
    public required TimeSpan JoinTimeout { get; init; }

    /// <summary>How long a node waits for its actor system to terminate once it has left or was downed, before it exits anyway (<c>terminate-timeout</c>).</summary>
    public required TimeSpan TerminateTimeout { get; init; }

    /// <summary>How long one member may take to answer a status query (<c>status-timeout</c>).</summary>
    public required TimeSpan StatusTimeout { get; init; }

    /// <summary>How often a live view refreshes (<c>refresh-interval</c>).</summary>
    public required TimeSpan RefreshInterval { get; init; }

    /// <summary>Whether a member whose port refuses connections after it was up is downed at once (<c>down-dead-members</c>).</summary>
    public required bool DownDeadMembers { get; init; }

    /// <summary>How long a dial to a suspected member may take before it counts as silence (<c>dead-member-dial-timeout</c>).</summary>
    public required TimeSpan DeadMemberDialTimeout { get; init; }

    /// <summary>Reads the section from a whole configuration and validates it.</summary>
    /// <exception cref="ConfigException">A value is of the wrong kind or out of range; the message names its key.</exception>
    public static ClusterModeSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = SettingsReader.For(config.GetConfig(SectionPath), SectionPath);
        var settings = new ClusterModeSettings
        {
            WorkerRole = read.String("worker-role"),
            WorkersPerNode = read.Int("workers-per-node"),
            WaitForWorkers = read.Duration("wait-for-workers"),
            JoinTimeout = read.Duration("join-timeout"),
            TerminateTimeout = read.Duration("terminate-timeout"),
            StatusTimeout = read.Duration("status-timeout"),
            RefreshInterval = read.Duration("refresh-interval"),
            DownDeadMembers = read.Bool("down-dead-members"),
            DeadMemberDialTimeout = read.Duration("dead-member-dial-timeout"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value, naming the key of the first one out of range.</summary>
    /// <exception cref="ConfigException">A value is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(WorkerRole), Key("worker-role"), WorkerRole, "must name a role");
        Require(WorkersPerNode >= 1, Key("workers-per-node"), WorkersPerNode, "must be at least 1");
        Require(WaitForWorkers > TimeSpan.Zero, Key("wait-for-workers"), WaitForWorkers, "must be positive");
        Require(JoinTimeout > TimeSpan.Zero, Key("join-timeout"), JoinTimeout, "must be positive");
        Require(TerminateTimeout > TimeSpan.Zero, Key("terminate-timeout"), TerminateTimeout, "must be positive");
        Require(StatusTimeout > TimeSpan.Zero, Key("status-timeout"), StatusTimeout, "must be positive");
        Require(RefreshInterval > TimeSpan.Zero, Key("refresh-interval"), RefreshInterval, "must be positive");
        Require(DeadMemberDialTimeout > TimeSpan.Zero, Key("dead-member-dial-timeout"), DeadMemberDialTimeout, "must be positive");
    }

    private static string Key(string key) => $"{SectionPath}.{key}";
}
