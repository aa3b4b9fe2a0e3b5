using Akka.Actor;
using Akka.Event;

namespace Actors.Logging;

/// <summary>
/// Writes one readable line per log event to standard error, and leaves out the remoting chatter
/// that a worker process coming and going causes (the pool reports those events itself, once, in
/// its own words). A TLS refusal repeated by a peer that keeps retrying is written once per
/// <c>actors.security.tls.refusal-log-interval</c>, with the count held back since (<see cref="TlsRefusals"/>). Enable with <c>akka.loggers = ["Actors.Logging.ReadableConsoleLogger, Actors.Core"]</c>.
/// </summary>
public sealed class ReadableConsoleLogger : ReceiveActor
{
    private const string IntervalPath = "actors.security.tls.refusal-log-interval";

    private readonly TlsRefusals _refusals = TlsRefusals.For(Context.System);
    private readonly TimeSpan _interval;

    public ReadableConsoleLogger()
    {
        var config = Context.System.Settings.Config;
        _interval = config.HasPath(IntervalPath) ? config.GetTimeSpan(IntervalPath) : TimeSpan.FromMinutes(1);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private void Write(LogEvent log)
    {
        if (IsRemotingChatter(log)) return;
        var text = log.Message?.ToString() ?? "";
        var repeats = "";
        if (TlsRefusals.IsRefusal(text))
        {
            // Stopping closes this system's own connections, handshakes still under way among them:
            // not a refusal by anyone (a status asking a member that does not answer ends this way).
            if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null) return;
            if (!_refusals.ShouldWrite(text, DateTime.UtcNow, _interval, out var held)) return;
            if (held > 0) repeats = $" ({held} more like it in the last {_interval.TotalSeconds:0} s, not written: {IntervalPath})";
        }
        var cause = log.Cause is { } exception && log.LogLevel() != LogLevel.DebugLevel
            ? $" ({exception.GetType().Name}: {exception.Message})"
            : log.Cause is { } detailed ? Environment.NewLine + detailed : "";
        Console.Error.WriteLine($"[{Label(log.LogLevel())}] {log.Message}{cause}{repeats}");
    }

    /// <summary>Association failures and disassociations of remote endpoints: expected when a
    /// worker process exits, and reported by the pool as "worker process N exited with code X".</summary>
    internal static bool IsRemotingChatter(LogEvent log)
    {
        if (log.LogLevel() == LogLevel.DebugLevel) return false;
        var source = log.LogSource ?? "";
        if (!source.Contains("endpointManager", StringComparison.Ordinal) && !source.StartsWith("remoting", StringComparison.Ordinal)
            && !source.Contains("remote-watcher", StringComparison.Ordinal)) return false;
        var text = log.Message?.ToString() ?? "";
        return log.Cause?.GetType().Name is "EndpointDisassociatedException" or "ShutDownAssociation" or "InvalidAssociation"
            || text.Contains("Disassociated", StringComparison.Ordinal)
            || text.Contains("is now gated", StringComparison.Ordinal)
            || text.Contains("Detected unreachable", StringComparison.Ordinal)
            || text.Contains("Shut down address", StringComparison.Ordinal);
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => "debug",
        LogLevel.InfoLevel => "info",
        LogLevel.WarningLevel => "warning",
        _ => "error",
    };
}
