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
    [InlineData("a = ${b}\nb = ${a}\n", 1, "substitution cycle: a -> b -> a")]
    [InlineData("x = 1\na = ${?b}\nb = ${?a}\n", 2, "substitution cycle: a -> b -> a")]
    [InlineData("x = 1\na = ${b}\nb { c = ${a} }\n", 2, "substitution cycle: a -> b.c -> a")]
    [InlineData("a { b = ${a} }\n", 1, "'a.b' refers to itself")]
    [InlineData("path = \"x\"\npath = ${path}\":y\"\n", 2, "'path' refers to itself")]
    public void A_substitution_cycle_is_reported_with_its_line_instead_of_overflowing_the_stack(string text, int line, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => ActorsConfig.Parse(text, "cycle.hocon"));

        Assert.StartsWith($"cycle.hocon:{line}: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("objects")]
    [InlineData("arrays")]
    [InlineData("dotted")]
    [InlineData("chain")]
    public void Nesting_fifty_thousand_deep_is_reported_instead_of_overflowing_the_stack(string how)
    {
        const int deep = 50_000;
        var text = how switch
        {
            "objects" => string.Concat(Enumerable.Repeat("a {\n", deep)) + "x = 1\n" + new string('}', deep),
            "arrays" => "a = " + new string('[', deep) + new string(']', deep),
            "dotted" => string.Join('.', Enumerable.Repeat("a", deep)) + " = 1",
            _ => string.Concat(Enumerable.Range(0, deep).Select(i => $"k{i} = ${{k{i + 1}}}\n")) + $"k{deep} = 1\n",
        };

        var error = Assert.Throws<ConfigException>(() => ActorsConfig.Parse(text, "deep.hocon"));

        Assert.Matches(@"^deep\.hocon:\d+: ", error.Message);
        Assert.Contains($"deeper than {HoconSyntax.MaxDepth} levels", error.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_and_a_long_acyclic_chain_of_substitutions_pass()
    {
        var nested = string.Concat(Enumerable.Repeat("a {\n", HoconSyntax.MaxDepth - 1)) + "x = 1\n" + new string('}', HoconSyntax.MaxDepth - 1);
        var chain = string.Concat(Enumerable.Range(0, 50).Select(i => $"k{i} = ${{k{i + 1}}}\n")) + "k50 = 7\n";

        Assert.Equal(1, ActorsConfig.Parse(nested, "nested.hocon").GetInt(string.Join('.', Enumerable.Repeat("a", HoconSyntax.MaxDepth - 1)) + ".x"));
        Assert.Equal(7, ActorsConfig.Parse(chain, "chain.hocon").GetInt("k0"));
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
