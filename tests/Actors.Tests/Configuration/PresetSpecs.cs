using Actors.Configuration;

namespace Actors.Tests.Configuration;

/// <summary>The mode presets built into the library: an app with the package alone has them; a config folder wins file by file.</summary>
public sealed class PresetSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actors-presets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("base")]
    [InlineData("local")]
    [InlineData("processes")]
    [InlineData("cluster")]
    public void Every_file_of_the_config_folder_must_be_built_in_unchanged(string name)
    {
        var resource = typeof(ActorsConfig).Assembly.GetManifestResourceStream($"Actors.config.{name}.hocon");
        Assert.NotNull(resource);
        using var reader = new StreamReader(resource);

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryFolders.Config(), name + ".hocon")), reader.ReadToEnd());
    }

    [Fact]
    public void A_config_folder_without_the_mode_file_must_fall_back_to_the_built_in_preset()
    {
        var config = ActorsConfig.Load(new ConfigOptions { Directory = _folder, Mode = "processes" });

        Assert.Equal("processes", config.GetString("actors.pool.mode"));
        Assert.Equal("remote", config.GetString("akka.actor.provider"));
        Assert.Equal(4, config.GetInt("akka.actor.deployment./squares.nr-of-instances")); // base.hocon's, built in
    }

    [Fact]
    public void A_mode_file_in_the_config_folder_must_win_over_the_built_in_preset()
    {
        File.WriteAllText(Path.Combine(_folder, "processes.hocon"), "actors.pool { mode = processes, max-auto-chunk-size = 77 }\nakka.actor.provider = remote\n");

        var config = ActorsConfig.Load(new ConfigOptions { Directory = _folder, Mode = "processes" });

        Assert.Equal(77, config.GetInt("actors.pool.max-auto-chunk-size"));
    }

    [Fact]
    public void An_unknown_mode_must_name_the_built_in_modes()
    {
        var error = Assert.Throws<ConfigException>(() => ActorsConfig.Load(new ConfigOptions { Directory = _folder, Mode = "toasters" }));

        Assert.Contains("unknown mode 'toasters'", error.Message);
        Assert.Contains("cluster, local, processes", error.Message);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a \"quoted\" \\ back\\slash")]
    [InlineData("line\nbreak\ttab\r\u0001")]
    [InlineData("akka.loglevel = DEBUG, ${x} [1, 2] { }")]
    public void A_quoted_string_must_read_back_as_the_same_text(string text)
    {
        var config = ActorsConfig.Parse($"a = {HoconSyntax.Quote(text)}", "quoted");

        Assert.Equal(text, config.GetString("a"));
    }
}
