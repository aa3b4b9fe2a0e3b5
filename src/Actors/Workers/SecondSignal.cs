using System.Runtime.InteropServices;

namespace Actors.Workers;

/// <summary>
/// How a process ends on a second SIGINT or SIGTERM, once the first one's orderly stop hangs (a job
/// that never returns): at once, with the code a shell reports for a death by that signal.
/// </summary>
internal static class SecondSignal
{
    /// <summary>
    /// The setting a process that handles SIGINT and SIGTERM itself runs its actor system with: Akka's
    /// own SIGTERM handler (part of its CLR shutdown hook) waits in the runtime's signal dispatch for
    /// the whole coordinated shutdown, so a second signal would not be handled until that ended.
    /// </summary>
    public const string OwnHandlers = "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off";

    /// <summary>The exit code of a death by <paramref name="signal"/>: 128 + its number (130 for SIGINT, 143 for SIGTERM).</summary>
    public static int ExitCode(PosixSignal signal) => signal == PosixSignal.SIGINT ? 130 : 143;

    /// <summary>
    /// Ends the process now. Not <see cref="Environment.Exit(int)"/>: that runs the process-exit
    /// handlers, Akka's among them, which waits out the coordinated shutdown the first signal started
    /// (up to its actor-system-terminate timeout) — the very stop that hangs.
    /// </summary>
    public static void ExitNow(PosixSignal signal)
    {
        var code = ExitCode(signal);
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        ExitImmediately(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitImmediately(int status);
}
