using System.Runtime.InteropServices;
using Actors.Configuration;
using Actors.Protocol;

namespace Actors.Workers;

/// <summary>
/// The entry point of the library's own assembly: <c>Actors.Core.dll</c> is the worker host that a
/// pool in processes mode starts (<c>dotnet exec --runtimeconfig APP.runtimeconfig.json --depsfile
/// APP.deps.json Actors.Core.dll node --role worker …</c>), on the application's own runtime and
/// dependencies. So an application that references the library alone runs processes mode, and the
/// <c>actors</c> command's pools start this same host.
/// </summary>
internal static class WorkerHostProgram
{
    /// <summary>The exit code of a bad command line or configuration, as the <c>actors</c> command's.</summary>
    private const int Usage = 2;


    private static int _signalled;

    public static async Task<int> Main(string[] args)
    {
        StartUpSteps.Mark("runtime");
        WorkerHostArguments arguments;
        try
        {
            arguments = WorkerHostArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\nusage: dotnet Actors.Core.dll {string.Join(' ', WorkerHostArguments.Command)} "
                + "[--hostname H] [--port P] [--workers N] [--assembly DLL]... [--mode MODE] [--config FILE] [--override 'KEY = VALUE']...");
            return Usage;
        }

        // The first SIGINT or SIGTERM stops the host in order; a second one ends it at once.
        using var stop = new CancellationTokenSource();
        void Signal(PosixSignalContext context)
        {
            if (Interlocked.Exchange(ref _signalled, 1) == 1) SecondSignal.ExitNow(context.Signal);
            context.Cancel = true;
            _ = stop.CancelAsync(); // off the signal thread, which must stay free for a second signal

        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Signal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Signal);
        try
        {
            var config = ActorsConfig.Load(new ConfigOptions
            {
                Mode = arguments.Mode ?? "processes",
                File = arguments.ConfigFile,
                Overrides = [SecondSignal.OwnHandlers, .. arguments.Overrides],
            });
            StartUpSteps.Mark("configuration");
            return await WorkerNode.RunAsync(arguments, config, Console.In, Console.Out, stop.Token).ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}").ConfigureAwait(false);
            return Usage;
        }
        catch (Exception e) when (e is FileNotFoundException or ArgumentException or TimeoutException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return Usage;
        }
    }
}
