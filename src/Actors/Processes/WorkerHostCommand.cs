using System.Diagnostics;
using System.Reflection;
using Actors.Protocol;

namespace Actors.Processes;

/// <summary>
/// How to start a worker host: the configured command, else the <c>actors</c> command beside this
/// library, with the host's arguments (<see cref="WorkerHostArguments"/>) after it.
/// </summary>
internal static class WorkerHostCommand
{
    /// <summary>The start info for a worker host, its standard streams redirected.</summary>
    /// <param name="hostCommand">The configured host command (<c>actors.pool.processes.host-command</c>); empty for the default.</param>
    /// <param name="arguments">The host's arguments.</param>
    /// <exception cref="InvalidOperationException">No host command is configured and <c>actors.dll</c> is not beside this library.</exception>
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

    /// <summary>The host executable alone, without arguments: the configured command, else <c>dotnet actors.dll</c>.</summary>
    /// <exception cref="InvalidOperationException">No host command is configured and <c>actors.dll</c> is not beside this library.</exception>
    public static ProcessStartInfo Executable(string configured = "")
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var parts = configured.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var start = new ProcessStartInfo(parts[0]);
            foreach (var part in parts.Skip(1)) start.ArgumentList.Add(part);
            return start;
        }

        var directory = Path.GetDirectoryName(typeof(WorkerHostCommand).Assembly.Location) ?? AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "actors.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException(
                $"no worker host found: {dll} does not exist. Reference the Actors.Cli project (or set actors.pool.processes.host-command).");
        var info = new ProcessStartInfo(DotnetHost());
        if (ApplicationRuntime(directory) is var (runtimeConfig, dependencies))
        {
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add("--runtimeconfig");
            info.ArgumentList.Add(runtimeConfig);
            info.ArgumentList.Add("--depsfile");
            info.ArgumentList.Add(dependencies);
        }
        info.ArgumentList.Add(dll);
        return info;
    }

    /// <summary>
    /// The runtime configuration and dependency file of the application that references the
    /// <c>actors</c> command, when they are beside it: the host then runs on the application's
    /// frameworks and assemblies. An ASP.NET Core application, say, takes Microsoft.Extensions.* from
    /// its shared framework and never copies them, so <c>actors.dll</c> could not start on its own there.
    /// </summary>
    private static (string RuntimeConfig, string Dependencies)? ApplicationRuntime(string directory)
    {
        var entry = Assembly.GetEntryAssembly()?.GetName().Name;
        if (entry is null or "actors") return null;
        var runtimeConfig = Path.Combine(directory, entry + ".runtimeconfig.json");
        var dependencies = Path.Combine(directory, entry + ".deps.json");
        return File.Exists(runtimeConfig) && File.Exists(dependencies) && File.ReadAllText(dependencies).Contains("\"actors.dll\"", StringComparison.Ordinal)
            ? (runtimeConfig, dependencies)
            : null;
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}
