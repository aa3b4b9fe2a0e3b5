namespace Actors.Cluster;

/// <summary>How to run one cluster node (<c>actors node --role seed|worker …</c>).</summary>
public sealed record ClusterNodeOptions
{
    /// <summary>The role of a seed: a stable contact point that hosts no workers.</summary>
    public const string SeedRole = "seed";

    /// <summary>The role of a node that hosts pool workers (the default <c>actors.cluster.worker-role</c>).</summary>
    public const string WorkerRole = "worker";

    /// <summary>The role of a node that submits work to the cluster (<c>actors map</c>, <c>actors demo</c>; config/cluster.hocon).</summary>
    public const string SubmitterRole = "submitter";

    /// <summary>The node's role: <see cref="SeedRole"/> or a worker role.</summary>
    public required string Role { get; init; }

    /// <summary>The interface to bind; loopback unless a user says otherwise.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The host other members dial, when it differs from <see cref="Hostname"/> (NAT, a container, binding 0.0.0.0).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>The port to bind; 0 takes a free one (fine for every node but a seed others must find).</summary>
    public int Port { get; init; }

    /// <summary>Seed node addresses (or <c>host:port</c>); empty for the first seed, which forms the cluster by joining itself.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>The process id of a parent (<c>actors cluster up</c>); the node leaves and exits when it is gone.</summary>
    public int? ParentPid { get; init; }

    /// <summary>Assemblies holding job types, loaded before any work arrives.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];
}
