using System.CommandLine;
using System.Runtime.InteropServices;
using Actors.Configuration;
using Actors.Workers;

namespace Actors.Cli.Commands;

/// <summary>Exit codes and the handling every command shares: usage errors and bad configuration exit 2, without a stack trace.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly CancellationTokenSource Stopping = new();

    /// <summary>1 once a SIGINT or SIGTERM has asked for an orderly stop.</summary>
    private static int _signalled;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || parsed.CommandResult.Command == root && !IsHelpOrVersion(args))
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            if (parsed.Errors.Count == 0) await Console.Error.WriteLineAsync("error: a command is required.");
            await Console.Error.WriteLineAsync();
            await root.Parse([.. CommandPath(parsed, root), "--help"]).InvokeAsync(new InvocationConfiguration { Output = Console.Error });
            return Usage;
        }
        // Ctrl+C and SIGTERM cancel the command's token: it stops taking work, hands back what is in
        // flight, stops its worker processes and exits 0. A second one ends the process at once (130 or 143).
        using var stop = Stopping;
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parsed.InvokeAsync(configuration, stop.Token);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}");
            return Usage;
        }
    }

    /// <summary>
    /// The first signal asks for an orderly stop; the process exits when the command has stopped. A
    /// second one ends the process at once: an orderly stop that hangs (a job that never returns)
    /// must not make a process that cannot be stopped.
    /// </summary>
    private static void Cancel(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            // Akka.NET's own handler cancels the runtime's default action on every SIGINT and SIGTERM,
            // so leaving it to the runtime would do nothing: exit with the code of a death by the signal.
            Console.Error.WriteLine($"{context.Signal} again: exiting without waiting for the orderly stop");
            SecondSignal.ExitNow(context.Signal);
        }
        context.Cancel = true;
        try
        {
            // Off the signal thread: the command's stop runs on from the cancellation's callbacks,
            // and the next signal is not handled until this handler returns.
            _ = Stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The command has ended already (Akka's own SIGTERM handler may have stopped it first):
            // the process is exiting, and this late signal has nothing left to stop.
        }
    }

    /// <summary>The names from the root to the command that was parsed, for printing that command's usage.</summary>
    private static List<string> CommandPath(ParseResult parsed, RootCommand root)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Command != root; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
            names.Insert(0, result.Command.Name);
        return names;
    }

    private static bool IsHelpOrVersion(string[] args) =>
        args.Any(arg => arg is "--help" or "-h" or "-?" or "--version");
}
