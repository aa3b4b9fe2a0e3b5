using Actors.Pool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>
/// Registers the library's pools and buffers with an application's services. Pair it with
/// <see cref="ActorsAkkaBuilderExtensions.WithActorsHosting"/> inside <c>AddAkka</c>, which runs them
/// in the host's actor system.
/// </summary>
public static class ActorsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ActorsOptions"/> from the <c>Actors</c> section of <paramref name="configuration"/>
    /// (checked when the host starts), and makes every pool injectable as <see cref="IWorkerPool"/> and
    /// every buffer as the <see cref="Buffer.BoundedBuffer{T}"/> of its item type: by name with <c>[FromKeyedServices("NAME")]</c>,
    /// and the default one without a key. <see cref="HostedActors"/> lists them.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The application's configuration; null binds nothing (code only).</param>
    /// <param name="configure">Declares pools and buffers in code; configuration overrides the values set here.</param>
    public static IServiceCollection AddActors(this IServiceCollection services, IConfiguration? configuration = null, Action<ActorsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        configure?.Invoke(new ActorsBuilder(services));
        var options = services.AddOptions<ActorsOptions>();
        var path = ActorsOptions.SectionName;
        if (configuration is not null)
        {
            var section = configuration.GetSection(ActorsOptions.SectionName);
            path = section.Path;
            options.Bind(section);
        }
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<ActorsOptions>>(new ActorsOptionsValidator(path));
        services.TryAddSingleton<HostedActors>();
        HostedActors.RegisterPools(services);
        return services;
    }
}

/// <summary>Declares an application's pools and buffers in code (<see cref="ActorsServiceCollectionExtensions.AddActors"/>).</summary>
public sealed class ActorsBuilder
{
    internal ActorsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a worker pool named <paramref name="name"/>, injected as <see cref="IWorkerPool"/>.</summary>
    /// <param name="name">The pool's name: its actor name, its key for injection and its entry under <c>Actors:Pools</c>.</param>
    /// <param name="configure">Sets its options; configuration overrides them.</param>
    public ActorsBuilder AddWorkerPool(string name, Action<ActorsPoolOptions>? configure = null) =>
        Add(name, options => options.Pools, configure);

    /// <summary>Adds a bounded buffer of <typeparamref name="T"/> named <paramref name="name"/>, injected as <see cref="Buffer.BoundedBuffer{T}"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="name">The buffer's name: its actor name, its key for injection and its entry under <c>Actors:Buffers</c>.</param>
    /// <param name="configure">Sets its options; configuration overrides them.</param>
    public ActorsBuilder AddBoundedBuffer<T>(string name, Action<ActorsBufferOptions>? configure = null)
    {
        HostedActors.RegisterBuffer<T>(Services);
        return Add<ActorsBufferOptions>(name, options => options.Buffers, buffer =>
        {
            buffer.Holds<T>();
            configure?.Invoke(buffer);
        });
    }

    private ActorsBuilder Add<T>(string name, Func<ActorsOptions, Dictionary<string, T>> entries, Action<T>? configure) where T : new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.Configure<ActorsOptions>(options =>
        {
            var all = entries(options);
            if (!all.TryGetValue(name, out var entry)) all[name] = entry = new T();
            configure?.Invoke(entry);
        });
        return this;
    }
}
