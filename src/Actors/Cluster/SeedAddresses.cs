using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cluster;

/// <summary>Reads seed node addresses as a user writes them: full Akka addresses, or <c>host:port</c>.</summary>
internal static class SeedAddresses
{
    /// <summary>
    /// The addresses of <paramref name="seeds"/>. <c>host:port</c> becomes
    /// <c>akka.ssl.tcp://actors@host:port</c> (<c>akka.tcp</c> without TLS); a full address must
    /// name the cluster's actor system and the transport this node runs.
    /// </summary>
    /// <param name="seeds">As given (<c>--seeds a,b</c> or <c>akka.cluster.seed-nodes</c>).</param>
    /// <param name="tls">Whether this node runs TLS (<c>actors.security.tls.enabled</c>).</param>
    /// <exception cref="ArgumentException">A seed is not an address of this cluster; the message says which and why.</exception>
    public static IReadOnlyList<Address> Parse(IEnumerable<string> seeds, bool tls)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var scheme = tls ? "akka.ssl.tcp" : "akka.tcp";
        var addresses = new List<Address>();
        foreach (var seed in seeds.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var text = seed.Contains("://", StringComparison.Ordinal) ? seed : $"{scheme}://{ClusterNode.SystemName}@{seed}";
            if (!Address.TryParse(text, out var address) || address.Host is null || address.Port is not (> 0 and <= 65535))
                throw new ArgumentException($"seed '{seed}' is not an address like {scheme}://{ClusterNode.SystemName}@127.0.0.1:4053 or 127.0.0.1:4053.");
            if (address.System != ClusterNode.SystemName)
                throw new ArgumentException($"seed '{seed}' names the actor system '{address.System}': every member of the cluster is named '{ClusterNode.SystemName}'.");
            if (address.Protocol != scheme)
                throw new ArgumentException($"seed '{seed}' uses {address.Protocol}, but this node runs {scheme} ({WireSecuritySettingsPath}.enabled = {(tls ? "on" : "off")}).");
            addresses.Add(address);
        }
        return addresses;
    }

    /// <summary>The addresses of <paramref name="seeds"/> for a node configured by <paramref name="config"/> (TLS or not, as it says).</summary>
    /// <exception cref="ArgumentException">A seed is not an address of this cluster.</exception>
    /// <exception cref="Configuration.ConfigException"><c>actors.security.tls.enabled</c> is not on or off.</exception>
    public static IReadOnlyList<Address> Parse(IEnumerable<string> seeds, Config config) => Parse(seeds, RunsTls(config));

    /// <summary>Whether a node configured by <paramref name="config"/> runs TLS (read alone: its certificate files are checked when its system starts).</summary>
    public static bool RunsTls(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Configuration.SettingsReader.For(config, Security.WireSecuritySettings.Path).Bool("enabled");
    }

    /// <summary>The HOCON list of <paramref name="seeds"/>, for <c>akka.cluster.seed-nodes</c>.</summary>
    public static string Hocon(IEnumerable<Address> seeds) => "[" + string.Join(", ", seeds.Select(seed => $"\"{seed}\"")) + "]";

    private const string WireSecuritySettingsPath = Security.WireSecuritySettings.Path;
}
