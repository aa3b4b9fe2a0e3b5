using Actors.Configuration;

namespace Actors.Tests.Configuration;

public sealed class ActorsConfigSpecs
{
    [Theory]
    [InlineData("a {\n  b = 1\n  c = [1, 2\n}\n", 4, "closes '[' opened at line 3")]
    [InlineData("a {\n  b = 1\n", 1, "never closed")]
    [InlineData("a {\n  x = \"unterminated\n}\n", 2, "unterminated string")]
    [InlineData("a.b = 1\n}\n", 2, "unexpected '}'")]
    [InlineData("a {\n  b =\n}\n", 2, "missing value for key 'b'")]
    [InlineData("a {\n  b 1\n}\n", 2, "expected '=', ':' or '{' after key 'b 1'")]
    [InlineData("a = 1\ninclude \"other.conf\"\n", 2, "'include' is not supported")]
    [InlineData("a = ${unterminated\n", 1, "unterminated substitution")]
    public void Malformed_hocon_is_reported_with_its_line_and_reason(string text, int line, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => ActorsConfig.Parse(text, "test.hocon"));

        Assert.StartsWith($"test.hocon:{line}: ", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a { b = hello world, c = [1, 2, \"x\"] }\n# comment\n// another\nd = ${a}")]
    [InlineData("{ a : 1 }")]
    [InlineData("a.b.c = \"\"\"multi\nline\"\"\"\nlist += 3")]
    [InlineData("akka.actor.deployment {\n  /squares {\n    router = round-robin-pool\n    nr-of-instances = 4\n  }\n}")]
    public void Well_formed_hocon_passes(string text)
    {
        Assert.NotNull(ActorsConfig.Parse(text, "good.hocon"));
    }

    [Fact]
    public void The_shipped_files_are_well_formed_and_compose()
    {
        var directory = Path.Combine(RepositoryFolders.Root(), "config");
        foreach (var file in Directory.GetFiles(directory, "*.hocon")) ActorsConfig.ParseFile(file);

        var processes = ActorsConfig.Load(new ConfigOptions { Directory = directory, Mode = "processes", Overrides = ["actors.pool.processes.count = 3"] });

        Assert.Equal("processes", processes.GetString("actors.pool.mode"));
        Assert.Equal(3, processes.GetInt("actors.pool.processes.count"));
        Assert.Equal("127.0.0.1", processes.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(1024, processes.GetInt("actors.buffer.capacity")); // from reference.conf
    }

    [Fact]
    public void An_unknown_mode_names_the_modes_there_are()
    {
        var error = Assert.Throws<ConfigException>(() =>
            ActorsConfig.Load(new ConfigOptions { Directory = Path.Combine(RepositoryFolders.Root(), "config"), Mode = "cluster-of-toasters" }));

        Assert.Contains("unknown mode 'cluster-of-toasters'", error.Message);
        Assert.Contains("local, processes", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_config_error_naming_it()
    {
        var error = Assert.Throws<ConfigException>(() => ActorsConfig.ParseFile("/no/such/file.hocon"));

        Assert.StartsWith("/no/such/file.hocon: cannot read", error.Message);
    }
}
