using System.Collections.Concurrent;
using Actors.Hosting;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Actors.Hosting.Tests;

/// <summary>Akka's log goes to the application's logger, filtered by akka.loglevel and by Logging:LogLevel.</summary>
public sealed class HostedLoggingSpecs
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Akka_must_log_to_the_apps_logger_at_the_configured_akka_loglevel()
    {
        var captured = new CapturingLoggerProvider();
        using var host = await StartAsync(captured, new() { ["Actors:AkkaLogLevel"] = "Warning" });
        var system = host.Services.GetRequiredService<ActorSystem>();

        system.Log.Info("info that akka.loglevel holds back");
        system.Log.Warning("a warning for the app's logger");
        system.Log.Error("the last line");
        var last = await captured.WaitForAsync("the last line", Wait);

        Assert.Equal("Akka.Actor.ActorSystem", last.Category);
        Assert.Equal(LogLevel.Error, last.Level);
        // One source, one logger actor: what came before the last line has arrived too.
        Assert.Contains(captured.Lines, line => line.Message.Contains("a warning for the app's logger") && line.Level == LogLevel.Warning);
        Assert.DoesNotContain(captured.Lines, line => line.Message.Contains("info that akka.loglevel holds back"));
    }

    [Fact]
    public async Task The_apps_Logging_LogLevel_must_filter_what_Akka_emits()
    {
        var captured = new CapturingLoggerProvider();
        using var host = await StartAsync(captured, new() { ["Actors:AkkaLogLevel"] = "Info", ["Logging:LogLevel:Akka"] = "Error" });
        var system = host.Services.GetRequiredService<ActorSystem>();

        system.Log.Warning("a warning the app filters out");
        system.Log.Error("the last line");
        await captured.WaitForAsync("the last line", Wait);

        Assert.DoesNotContain(captured.Lines, line => line.Message.Contains("a warning the app filters out"));
    }

    private static async Task<IHost> StartAsync(CapturingLoggerProvider captured, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddProvider(captured);
        builder.Services.AddActors(builder.Configuration);
        builder.Services.AddAkka("hosted-logging", (akka, services) => akka.WithActorsLogging(services).WithActorsHosting(services));
        var host = builder.Build();
        await host.StartAsync(Cancel);
        return host;
    }

    private sealed record Line(string Category, LogLevel Level, string Message);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Line> _lines = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<Line>> _awaited = new();

        public IReadOnlyCollection<Line> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        public Task<Line> WaitForAsync(string text, TimeSpan timeout)
        {
            var waiter = _awaited.GetOrAdd(text, _ => new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (_lines.FirstOrDefault(line => line.Message.Contains(text)) is { } already) waiter.TrySetResult(already);
            return waiter.Task.WaitAsync(timeout, Cancel);
        }

        private void Add(Line line)
        {
            _lines.Enqueue(line);
            foreach (var (text, waiter) in _awaited)
                if (line.Message.Contains(text)) waiter.TrySetResult(line);
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Add(new Line(category, logLevel, formatter(state, exception)));
        }
    }
}
