using Actors.Configuration;
using Actors.Security;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Actors.Hosting;

/// <summary>
/// Akka.Hosting builder steps that run the library in an application's actor system. Call them
/// after adding your own HOCON: the library's defaults go beneath everything added before.
/// </summary>
public static class ActorsAkkaBuilderExtensions
{
    /// <summary>
    /// Runs the pools and buffers of <see cref="ActorsServiceCollectionExtensions.AddActors"/>: adds
    /// the library's defaults for <see cref="ActorsOptions.Mode"/> (<see cref="WithActorsDefaults"/>),
    /// TLS credentials when that mode puts the system on the wire, creates every pool and buffer once the
    /// system has started, and drains the pools when it shuts down.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddActors</c> was not called.</exception>
    public static AkkaConfigurationBuilder WithActorsHosting(this AkkaConfigurationBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var hosted = Hosted(services);
        builder.WithActorsDefaults(hosted.Options.Mode, hosted.Options.ConfigDirectory);
        // The host stops the actor system (Akka.Hosting runs CoordinatedShutdown when the host stops),
        // after the server has finished its requests. Akka's own hook would run it as soon as the
        // process is told to exit, draining the pools under requests that are still arriving.
        builder.AddHocon(ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off"), HoconAddMode.Append);
        // Akka.Remote takes its certificate only when the system is created.
        if (WireSecurity.PolicyFor("actors-host", Composed(builder)) is { } policy)
        {
            builder.AddHocon(policy.Hocon, HoconAddMode.Prepend);
            builder.AddSetup(policy.SslSetup);
            hosted.Policy = policy;
        }
        return builder.StartActors((system, _) => hosted.Start(system));
    }

    /// <summary>
    /// Adds the library's HOCON beneath the application's (appended): <c>config/MODE.hocon</c> over
    /// the library's <c>reference.conf</c>, without the command's <c>base.hocon</c>.
    /// </summary>
    /// <exception cref="ConfigException">The mode file is missing or malformed.</exception>
    public static AkkaConfigurationBuilder WithActorsDefaults(this AkkaConfigurationBuilder builder, string mode = "local", string? configDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(ActorsConfig.ForMode(mode, configDirectory), HoconAddMode.Append);
    }

    /// <summary>
    /// Sends Akka's log to the application's <c>ILoggerFactory</c> (category <c>Akka.Actor.ActorSystem</c>)
    /// instead of the console. Akka emits what <see cref="ActorsOptions.AkkaLogLevel"/> lets through
    /// (else the HOCON's <c>akka.loglevel</c>); <c>Logging:LogLevel</c> filters further.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorsLogging(this AkkaConfigurationBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var level = Hosted(services).Options.AkkaLogLevel ?? Composed(builder).GetString("akka.loglevel", "INFO");
        return builder.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = ParseLevel(level);
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });
    }

    private static HostedActors Hosted(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<HostedActors>()
            ?? throw new InvalidOperationException("the library's pools are not registered: call services.AddActors(configuration) before AddAkka.");
    }

    private static Config Composed(AkkaConfigurationBuilder builder) =>
        builder.Configuration.HasValue ? builder.Configuration.Value : Config.Empty;

    private static AkkaLogLevel ParseLevel(string level) => level.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => AkkaLogLevel.DebugLevel,
        "INFO" => AkkaLogLevel.InfoLevel,
        "WARNING" => AkkaLogLevel.WarningLevel,
        "ERROR" => AkkaLogLevel.ErrorLevel,
        _ => throw new ConfigException($"akka.loglevel = {level}: must be DEBUG, INFO, WARNING or ERROR"),
    };
}
