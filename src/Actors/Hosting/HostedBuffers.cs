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

    /// <summary><c>max-batch</c>: the most items one message between the buffer and a face carries.</summary>
    public int? MaxBatch { get; set; }

    /// <summary>The item type, given in code by <see cref="ActorsBuilder.AddBoundedBuffer{T}"/>; configuration cannot set it.</summary>
    internal Type? ItemType { get; private set; }

    /// <summary>Starts the buffer (a <see cref="BoundedBuffer{T}"/> of <see cref="ItemType"/>) under a name.</summary>
    internal Func<IActorRefFactory, BufferSettings, string, object>? Create { get; private set; }

    /// <summary>Makes this a buffer of <typeparamref name="T"/>.</summary>
    internal void Holds<T>()
    {
        ItemType = typeof(T);
        Create = (factory, settings, name) => BoundedBuffer<T>.Create(factory, settings, producers: 1, name);
    }

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
    private readonly ConcurrentDictionary<string, Lazy<object>> _buffers = new(StringComparer.Ordinal);

    /// <summary>The names of the buffers.</summary>
    public IReadOnlyCollection<string> BufferNames => Options.Buffers.Keys;

    /// <summary>The buffer named <paramref name="name"/>, or the default buffer when it is null.</summary>
    /// <exception cref="InvalidOperationException">There is no such buffer, no default among several, or it holds items of another type.</exception>
    public BoundedBuffer<T> Buffer<T>(string? name = null)
    {
        var chosen = Choose(name, Options.DefaultBuffer, Options.Buffers.Keys, "buffer", "Buffers", "DefaultBuffer");
        return BufferNamed(chosen) as BoundedBuffer<T> ?? throw new InvalidOperationException(
            $"the buffer '{chosen}' holds {Options.Buffers[chosen].ItemType}, not {typeof(T)}: inject BoundedBuffer<{Options.Buffers[chosen].ItemType?.Name}>.");
    }

    /// <summary>The buffer named <paramref name="name"/>, created on first use with the item type its declaration gave.</summary>
    private object BufferNamed(string name) => _buffers.GetOrAdd(name, key => new Lazy<object>(() =>
    {
        var options = Options.Buffers[key];
        return options.Create!(System, options.Settings(System.Settings.Config), key);
    })).Value;

    /// <summary>The buffer of <typeparamref name="T"/> to inject: keyed by name, and the default one without a key.</summary>
    internal static void RegisterBuffer<T>(IServiceCollection services)
    {
        services.TryAddKeyedSingleton<BoundedBuffer<T>>(KeyedService.AnyKey, (provider, key) => provider.GetRequiredService<HostedActors>().Buffer<T>(KeyText(key)));
        services.TryAddSingleton<BoundedBuffer<T>>(provider => provider.GetRequiredService<HostedActors>().Buffer<T>());
    }
}
