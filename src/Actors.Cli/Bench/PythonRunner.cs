using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Actors.Cli.Bench;

/// <summary>
/// Runs the benchmarks' Python scripts (the course's programs as competitors) when <c>python3</c> is
/// on the PATH. Each script prints one JSON object on its last line of output.
/// </summary>
public static class PythonRunner
{
    /// <summary>The folder the scripts are copied to, beside the <c>actors</c> command.</summary>
    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Bench", "python");

    /// <summary>The full path of <c>python3</c> found on the PATH, or <see langword="null"/> when there is none.</summary>
    public static string? FindPython()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "python3.exe", "python.exe" } : new[] { "python3" };
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <c>Bench/python/<paramref name="script"/>.py</c> with <paramref name="arguments"/> and parses
    /// the JSON object it prints last.
    /// </summary>
    /// <returns>The object, or <see langword="null"/> when <c>python3</c> is absent (the competitor is skipped).</returns>
    /// <exception cref="TimeoutException">The script ran longer than <paramref name="timeout"/>; it was killed.</exception>
    /// <exception cref="InvalidOperationException">The script failed or printed no JSON object.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired; the script was killed.</exception>
    public static async Task<JsonElement?> RunAsync(
        string script,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken ct)
    {
        var python = FindPython();
        if (python is null)
        {
            return null;
        }

        var scriptPath = Path.Combine(ScriptDirectory, script + ".py");
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"The benchmark script {scriptPath} is missing.", scriptPath);
        }

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {python}.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{script}.py ran longer than {timeout} and was stopped.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script}.py exited with code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        var last = (await stdout.ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        try
        {
            using var document = JsonDocument.Parse(last ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new InvalidOperationException($"{script}.py printed '{last}', not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{script}.py printed '{last}', not a JSON object.", e);
        }
    }

    /// <summary>
    /// A harness competitor that runs <c>Bench/python/<paramref name="script"/>.py</c> once per round;
    /// the script times itself and prints <c>{"seconds", "count", "sum"}</c>, so the interpreter's
    /// start-up stays outside the timed region. <see langword="null"/> when <c>python3</c> is absent.
    /// </summary>
    /// <param name="name">The competitor's name.</param>
    /// <param name="script">The script, without <c>.py</c>.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="items">Items one run moves.</param>
    /// <param name="expected">What each run must deliver.</param>
    /// <param name="timeout">Longest one run may take before it is killed.</param>
    public static BenchCompetitor? Competitor(
        string name,
        string script,
        IReadOnlyList<string> arguments,
        long items,
        BenchExpectation expected,
        TimeSpan timeout)
    {
        if (FindPython() is null)
        {
            return null;
        }

        return new BenchCompetitor(name, items, expected, async ct =>
        {
            var json = await RunAsync(script, arguments, timeout, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("python3 disappeared from the PATH during the benchmark.");
            return new BenchRun(
                json.GetProperty("seconds").GetDouble(),
                json.GetProperty("count").GetInt64(),
                json.GetProperty("sum").GetInt64());
        });
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }
}
