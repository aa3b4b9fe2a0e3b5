using System.Diagnostics;
using System.Text;

namespace Actors.IntegrationTests.Packages;

/// <summary>
/// One command run to its end (<c>dotnet pack</c>, <c>dotnet build</c>, a fresh app): its output
/// captured, and the command with every process under it killed by pid if it is still running when
/// the run ends, whatever ended it.
/// </summary>
internal static class CommandRun
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/>; a non-zero exit fails with what it printed.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No build server, compiler server or MSBuild node outlives the command.
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Describe(start)} did not end within {timeout}:\n{Text(output)}");
            }
            process.WaitForExit(); // drains the output handlers
            if (process.ExitCode != 0) throw new InvalidOperationException($"{Describe(start)} exited with code {process.ExitCode}:\n{Text(output)}");
            return Text(output);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static string Describe(ProcessStartInfo start) => $"'{start.FileName} {string.Join(' ', start.ArgumentList)}'";

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
