using System.Runtime.InteropServices;

namespace Actors.Workers;

/// <summary>
/// SIGINT and SIGTERM for a process that stops in order (the <c>actors</c> command, a worker host):
/// the first one cancels <see cref="Token"/>; a second one, once that orderly stop hangs (a job that
/// never returns), ends the process at once with the code a shell reports for a death by the signal.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    /// <summary>
    /// The setting such a process runs its actor system with: Akka's own SIGTERM handler (part of its
    /// CLR shutdown hook) waits in the runtime's signal dispatch for the whole coordinated shutdown,
    /// so a second signal would not be handled until that ended.
    /// </summary>
    public const string OwnHandlers = "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off";

    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter? _errors;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    /// <summary>1 once a signal has asked for an orderly stop.</summary>
    private int _signalled;

    /// <param name="errors">Where a second signal is said to end the process without waiting; null: nowhere.</param>
    public StopSignals(TextWriter? errors = null)
    {
        _errors = errors;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            // The runtime's default action is cancelled by Akka's handler too, so leaving it to the
            // runtime would do nothing: exit with the code of a death by the signal.
            _errors?.WriteLine($"{context.Signal} again: exiting without waiting for the orderly stop");
            ExitNow(context.Signal == PosixSignal.SIGINT ? 130 : 143);
        }
        context.Cancel = true;
        try
        {
            // Off the signal thread: the stop runs on from the cancellation's callbacks, and the
            // next signal is not handled until this handler returns.
            _ = _stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The process has stopped already and is exiting: this late signal has nothing left to stop.
        }
    }

    /// <summary>
    /// Ends the process now. Not <see cref="Environment.Exit(int)"/>: that runs the process-exit
    /// handlers, Akka's among them, which waits out the coordinated shutdown the first signal started
    /// (up to its actor-system-terminate timeout) — the very stop that hangs.
    /// </summary>
    private static void ExitNow(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        ExitImmediately(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitImmediately(int status);
}
