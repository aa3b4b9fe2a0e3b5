using System.Diagnostics;

namespace Actors.Processes;

/// <summary>Finds how to start a worker host: the configured command, else the <c>actors</c> command beside this library.</summary>
internal static class WorkerHostCommand
{
    public static ProcessStartInfo Resolve(string configured)
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
        var host = DotnetHost();
        var info = new ProcessStartInfo(host);
        info.ArgumentList.Add(dll);
        return info;
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
