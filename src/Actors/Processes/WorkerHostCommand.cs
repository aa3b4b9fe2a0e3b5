using System.Diagnostics;
using System.Runtime.InteropServices;
using Actors.Protocol;

namespace Actors.Processes;

/// <summary>
/// How to start a worker host: the configured command, else the library's own assembly
/// (<c>Actors.Core.dll</c>, whose entry point is a worker host) run by <c>dotnet exec</c> on the
/// runtime configuration and dependencies of the application that uses it, with the host's
/// arguments (<see cref="WorkerHostArguments"/>) after it.
/// </summary>
internal static class WorkerHostCommand
{
    /// <summary>The start info for a worker host, its standard streams redirected.</summary>
    /// <param name="hostCommand">The configured host command (<c>actors.pool.processes.host-command</c>); empty for the default.</param>
    /// <param name="arguments">The host's arguments.</param>
    /// <exception cref="InvalidOperationException">No host command is configured and the library's assembly cannot be run.</exception>
    public static ProcessStartInfo StartInfo(string hostCommand, WorkerHostArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = Executable(hostCommand);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        foreach (var argument in arguments.ToArguments()) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    /// <summary>
    /// The host executable alone, without arguments: the configured command, else
    /// <c>dotnet exec --runtimeconfig R --depsfile D Actors.Core.dll</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No host command is configured and the library's assembly cannot be run.</exception>
    public static ProcessStartInfo Executable(string configured = "")
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var parts = configured.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var start = new ProcessStartInfo(parts[0]);
            foreach (var part in parts.Skip(1)) start.ArgumentList.Add(part);
            return start;
        }
        return Run(typeof(WorkerHostCommand).Assembly.Location);
    }

    /// <summary>
    /// <c>dotnet exec</c> of <paramref name="assembly"/> on the runtime configuration and dependency
    /// file of this process when they list it (an application that references the library, the
    /// <c>actors</c> command, a test project under its test host), else on a pair beside it that
    /// does. An ASP.NET Core application, say, takes Microsoft.Extensions.* from its shared framework
    /// and never copies them: only its own pair lets the assembly start there.
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly has no file, or no pair beside it lists it.</exception>
    public static ProcessStartInfo Run(string assembly)
    {
        if (string.IsNullOrEmpty(assembly) || !File.Exists(assembly))
            throw new InvalidOperationException(
                $"no worker host found: the assembly '{assembly}' is not a file (a single-file application?); set actors.pool.processes.host-command.");
        var (runtimeConfig, dependencies) = RuntimeFiles(assembly) ?? throw new InvalidOperationException(
            $"no worker host found: no *.runtimeconfig.json and *.deps.json beside {assembly} list it; set actors.pool.processes.host-command.");
        var info = new ProcessStartInfo(DotnetHost());
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add("--runtimeconfig");
        info.ArgumentList.Add(runtimeConfig);
        info.ArgumentList.Add("--depsfile");
        info.ArgumentList.Add(dependencies);
        info.ArgumentList.Add(assembly);
        return info;
    }

    private static (string RuntimeConfig, string Dependencies)? RuntimeFiles(string assembly)
    {
        var name = Path.GetFileName(assembly);
        var directory = Path.GetDirectoryName(Path.GetFullPath(assembly))!;
        // The host passes this process's dependency files, the application's first, to the runtime.
        var own = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var beside = Directory.EnumerateFiles(directory, "*.deps.json")
            .OrderBy(path => Path.GetFileName(path) == Path.ChangeExtension(name, ".deps.json") ? 0 : 1)
            .ThenBy(path => path, StringComparer.Ordinal);
        foreach (var dependencies in own is null ? beside : beside.Prepend(own))
        {
            var runtimeConfig = dependencies[..^".deps.json".Length] + ".runtimeconfig.json";
            if (File.Exists(dependencies) && File.Exists(runtimeConfig) && Lists(dependencies, name)) return (runtimeConfig, dependencies);
        }
        return null;
    }

    /// <summary>Whether a dependency file names <paramref name="assembly"/> among its runtime files.</summary>
    private static bool Lists(string dependencies, string assembly)
    {
        try
        {
            var text = File.ReadAllText(dependencies);
            return text.Contains($"\"{assembly}\"", StringComparison.OrdinalIgnoreCase) || text.Contains($"/{assembly}\"", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The <c>dotnet</c> host of the runtime this process runs on.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        // RuntimeEnvironment's directory is ROOT/shared/Microsoft.NETCore.App/VERSION/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var beside = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(beside)) return beside;
        var configured = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (configured is not null && File.Exists(Path.Combine(configured, "dotnet"))) return Path.Combine(configured, "dotnet");
        return "dotnet";
    }
}
