using System.Collections.Concurrent;
using Actors.Buffer;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Hosting;

/// <summary>
/// One bounded buffer's settings: each property is the <c>actors.buffer</c> key of the same name
/// (<c>MaxBatch</c> is <c>max-batch</c>), checked by the same rules; unset ones come from HOCON.
/// </summary>
public sealed class ActorsBufferOptions
{
    /// <summary><c>capacity</c>: items held before producers wait.</summary>
    public int? Capacity { get; set; }

    /// <summary><c>max-batch</c>: the most items one take hands out.</summary>
    public int? MaxBatch { get; set; }

    /// <summary>The buffer's settings: these options over <paramref name="config"/>'s <c>actors.buffer</c>.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names its key.</exception>
    internal BufferSettings Settings(Config config)
    {
        var section = new HoconText().Set("capacity", Capacity).Set("max-batch", MaxBatch).ToConfig();
        return BufferSettings.Create(section.WithFallback(config.GetConfig(BufferSettings.SectionPath) ?? Config.Empty));
    }
}

// The buffer's side of hosting, in one place: which type is injected and how it is made.
public sealed partial class HostedActors
{
    private readonly ConcurrentDictionary<string, Lazy<BoundedBuffer>> _buffers = new(StringComparer.Ordinal);

    /// <summary>The names of the buffers.</summary>
    public IReadOnlyCollection<string> BufferNames => Options.Buffers.Keys;

    /// <summary>The buffer named <paramref name="name"/>, or the default buffer when it is null.</summary>
    /// <exception cref="InvalidOperationException">There is no such buffer, or no default among several.</exception>
    public BoundedBuffer Buffer(string? name = null)
    {
        var chosen = Choose(name, Options.DefaultBuffer, Options.Buffers.Keys, "buffer", "Buffers", "DefaultBuffer");
        return _buffers.GetOrAdd(chosen, key => new Lazy<BoundedBuffer>(() =>
            BoundedBuffer.Create(System, Options.Buffers[key].Settings(System.Settings.Config), producers: 1, name: key))).Value;
    }

    /// <summary>The buffer to inject: keyed by name, and the default one without a key.</summary>
    internal static void RegisterBuffers(IServiceCollection services)
    {
        services.TryAddKeyedSingleton<BoundedBuffer>(KeyedService.AnyKey, (provider, key) => provider.GetRequiredService<HostedActors>().Buffer(KeyText(key)));
        services.TryAddSingleton<BoundedBuffer>(provider => provider.GetRequiredService<HostedActors>().Buffer());
    }
}
