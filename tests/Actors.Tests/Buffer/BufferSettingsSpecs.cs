using Actors.Buffer;
using Akka.Configuration;

namespace Actors.Tests.Buffer;

public sealed class BufferSettingsSpecs
{
    [Fact]
    public void Buffer_settings_must_read_the_actors_buffer_section()
    {
        var config = ConfigurationFactory.ParseString("actors.buffer { capacity = 7, max-batch = 3, ask-timeout = 2s }");

        var settings = BufferSettings.Create(config.GetConfig(BufferSettings.SectionPath));

        Assert.Equal((7, 3, TimeSpan.FromSeconds(2)), (settings.Capacity, settings.MaxBatch, settings.AskTimeout));
        Assert.Equal(BufferSettings.Default, BufferSettings.Create(Config.Empty));
        Assert.Equal((1024, 512), (BufferSettings.Default.Capacity, BufferSettings.Default.MaxBatch));
    }

    [Theory]
    [InlineData("actors.buffer.capacity = 0", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = -1", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = lots", "actors.buffer.capacity")]
    [InlineData("actors.buffer.max-batch = 0", "actors.buffer.max-batch")]
    [InlineData("actors.buffer.ask-timeout = soon", "actors.buffer.ask-timeout")]
    [InlineData("actors.buffer.ask-timeout = 0s", "actors.buffer.ask-timeout")]
    public void Buffer_settings_must_reject_bad_config_naming_the_key(string hocon, string key)
    {
        var section = ConfigurationFactory.ParseString(hocon).GetConfig(BufferSettings.SectionPath);

        var error = Assert.ThrowsAny<ArgumentException>(() => BufferSettings.Create(section));
        Assert.Contains(key, error.Message);
    }
}
