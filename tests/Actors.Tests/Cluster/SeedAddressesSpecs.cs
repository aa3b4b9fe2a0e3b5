using Actors.Cluster;

namespace Actors.Tests.Cluster;

public sealed class SeedAddressesSpecs
{
    [Fact]
    public void Seeds_must_accept_full_addresses_and_host_port_in_the_transport_this_node_runs()
    {
        var tls = SeedAddresses.Parse(["127.0.0.1:4053,akka.ssl.tcp://actors@10.0.0.2:4054", "node-3.lan:4055"], tls: true);
        var plain = SeedAddresses.Parse(["127.0.0.1:4053"], tls: false);

        Assert.Equal(["akka.ssl.tcp://actors@127.0.0.1:4053", "akka.ssl.tcp://actors@10.0.0.2:4054", "akka.ssl.tcp://actors@node-3.lan:4055"],
            tls.Select(address => address.ToString()));
        Assert.Equal("akka.tcp://actors@127.0.0.1:4053", plain.Single().ToString());
        Assert.Equal("[\"akka.tcp://actors@127.0.0.1:4053\"]", SeedAddresses.Hocon(plain));
    }

    [Theory]
    [InlineData("127.0.0.1", "is not an address")]
    [InlineData("127.0.0.1:0", "is not an address")]
    [InlineData("akka.ssl.tcp://other@127.0.0.1:4053", "every member of the cluster is named 'actors'")]
    [InlineData("akka.tcp://actors@127.0.0.1:4053", "but this node runs akka.ssl.tcp")]
    public void Seeds_must_refuse_what_is_not_an_address_of_this_cluster_and_say_why(string seed, string why)
    {
        var refused = Assert.Throws<ArgumentException>(() => SeedAddresses.Parse([seed], tls: true));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }
}
