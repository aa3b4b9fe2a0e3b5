using Actors.Pool;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Security;
using Akka.Configuration;

namespace Actors.Tests.Cluster;

/// <summary>How a cluster member's actor system is made from cluster mode's settings (<see cref="ClusterNode.CreateSystem"/>).</summary>
public sealed class ClusterSystemSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actors-cluster-system-").FullName;

    [Fact]
    public void A_member_whose_certificate_its_own_authority_did_not_issue_is_refused_before_it_starts_and_told_why()
    {
        using var cluster = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1));
        using var other = CertificateFactory.CreateAuthority("other CA", TimeSpan.FromDays(1));
        var config = Files(identityFrom: other, trusted: cluster);

        var refused = Assert.Throws<ConfigException>(() => ClusterNode.CreateSystem(config));

        Assert.Contains("would refuse this node", refused.Message, StringComparison.Ordinal);
        Assert.Contains("was not issued by CN=cluster CA", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_refuses_an_ephemeral_certificate_no_other_member_could_trust()
    {
        var config = ConfigurationFactory.ParseString("actors.security.tls.credentials = ephemeral").WithFallback(Cluster());

        var refused = Assert.Throws<ConfigException>(() => ClusterNode.CreateSystem(config));

        Assert.Contains("cluster members need certificates from one authority", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_with_a_certificate_from_its_authority_runs_tls()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1));
        var system = ClusterNode.CreateSystem(Files(identityFrom: authority, trusted: authority));
        try
        {
            Assert.Equal(("actors", "akka.ssl.tcp"), (system.Name, Akka.Cluster.Cluster.Get(system).SelfAddress.Protocol));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Cluster_mode_routes_the_map_pool_through_a_cluster_router_whose_total_spans_the_cluster()
    {
        var system = ClusterNode.CreateSystem(ConfigurationFactory.ParseString("actors.security.tls.enabled = off").WithFallback(Cluster()));
        try
        {
            var deployed = ((Akka.Actor.ExtendedActorSystem)system).Provider.Deployer.Lookup(["map"])?.RouterConfig;

            var router = Assert.IsType<Akka.Cluster.Routing.ClusterRouterPool>(deployed);
            Assert.IsType<Akka.Routing.RoundRobinPool>(router.Local);
            Assert.Equal((100, 2, false, "worker"), (router.Settings.TotalInstances, router.Settings.MaxInstancesPerNode, router.Settings.AllowLocalRoutees, router.Settings.UseRole));
            Assert.Null(router.Local.Resizer);
            Assert.Equal(new[] { "submitter" }, Akka.Cluster.Cluster.Get(system).SelfRoles);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_cluster_pool_refuses_a_resizer_since_members_joining_and_leaving_resize_it()
    {
        var system = ClusterNode.CreateSystem(ConfigurationFactory.ParseString("actors.security.tls.enabled = off").WithFallback(Cluster()));
        try
        {
            var resizing = Assert.Throws<ArgumentException>(() =>
                WorkerPool.Create(system, "resizing", new Akka.Routing.RoundRobinPool(4, new Akka.Routing.DefaultResizer(1, 8))));

            Assert.Contains("cannot resize", resizing.Message, StringComparison.Ordinal);
        }
        finally
        {
            await system.Terminate();
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Config Cluster() => ActorsConfig.Load(new ConfigOptions { Mode = "cluster", Directory = RepositoryFolders.Config() });

    private Config Files(System.Security.Cryptography.X509Certificates.X509Certificate2 identityFrom, System.Security.Cryptography.X509Certificates.X509Certificate2 trusted)
    {
        var identity = Path.Combine(_folder, "node.pfx");
        var authority = Path.Combine(_folder, "ca.crt");
        using (var node = CertificateFactory.Issue(identityFrom, "node", ["127.0.0.1"], TimeSpan.FromDays(1)))
            CertificateFiles.WriteIdentity(identity, node);
        CertificateFiles.WritePublic(authority, trusted);
        return ConfigurationFactory.ParseString($"actors.security.tls {{ certificate.path = \"{identity}\", ca-path = \"{authority}\" }}").WithFallback(Cluster());
    }
}
