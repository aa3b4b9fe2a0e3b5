using Actors.Buffer;
using Akka.Configuration;

namespace Actors.Tests.Buffer;

public sealed class BufferSettingsSpecs
{
    [Fact]
    public void Buffer_settings_must_read_the_actors_buffer_section()
    {
        var config = ConfigurationFactory.ParseString("actors.buffer { capacity = 7, max-batch = 3, face-window = 2, ask-timeout = 2s }");

        var settings = BufferSettings.Create(config.GetConfig(BufferSettings.SectionPath));

        Assert.Equal((7, 3, 2, TimeSpan.FromSeconds(2)), (settings.Capacity, settings.MaxBatch, settings.FaceWindow, settings.AskTimeout));
        Assert.Equal(BufferSettings.Default, BufferSettings.Create(Config.Empty));
        Assert.Equal((1024, 512, 0), (BufferSettings.Default.Capacity, BufferSettings.Default.MaxBatch, BufferSettings.Default.FaceWindow));
    }

    [Theory]
    [InlineData(1024, 512, 0, 512)]
    [InlineData(1024, 128, 0, 128)]
    [InlineData(10, 512, 0, 5)]
    [InlineData(1, 512, 0, 1)]
    [InlineData(10, 512, 64, 10)]
    [InlineData(100, 512, 7, 7)]
    public void Face_window_must_default_to_half_the_capacity_within_max_batch(int capacity, int maxBatch, int faceWindow, int expected)
    {
        var settings = BufferSettings.Default with { Capacity = capacity, MaxBatch = maxBatch, FaceWindow = faceWindow };

        Assert.Equal(expected, settings.EffectiveFaceWindow);
    }

    [Theory]
    [InlineData("actors.buffer.capacity = 0", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = -1", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = lots", "actors.buffer.capacity")]
    [InlineData("actors.buffer.max-batch = 0", "actors.buffer.max-batch")]
    [InlineData("actors.buffer.face-window = -1", "actors.buffer.face-window")]
    [InlineData("actors.buffer.ask-timeout = soon", "actors.buffer.ask-timeout")]
    [InlineData("actors.buffer.ask-timeout = 0s", "actors.buffer.ask-timeout")]
    public void Buffer_settings_must_reject_bad_config_naming_the_key(string hocon, string key)
    {
        var section = ConfigurationFactory.ParseString(hocon).GetConfig(BufferSettings.SectionPath);

        var error = Assert.ThrowsAny<ArgumentException>(() => BufferSettings.Create(section));
        Assert.Contains(key, error.Message);
    }
}
