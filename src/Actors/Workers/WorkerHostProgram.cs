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
        using var signals = new StopSignals();
        try
        {
            var config = ActorsConfig.Load(new ConfigOptions
            {
                Mode = arguments.Mode ?? "processes",
                File = arguments.ConfigFile,
                Overrides = [StopSignals.OwnHandlers, .. arguments.Overrides],
            });
            StartUpSteps.Mark("configuration");
            return await WorkerNode.RunAsync(arguments, config, Console.In, Console.Out, signals.Token).ConfigureAwait(false);
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
