using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Actors.IntegrationTests;

/// <summary>Runs the <c>actors</c> command (or another program built beside the tests) as a real process and captures what it prints; the process is killed on dispose.</summary>
internal sealed class CliRunner : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliRunner(Process process) => _process = process;

    /// <summary>
    /// A test run started in the background of a non-interactive shell inherits SIGINT ignored, as
    /// POSIX asks, and so would every process it starts: a .NET process that starts with SIGINT
    /// ignored keeps it ignored, and the Ctrl+C specs would pass or hang by how the run was launched.
    /// The processes started here get SIGINT's default action, as from a terminal.
    /// </summary>
    static CliRunner()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var previous = SetSignal(Sigint, SigDfl);
        if (previous != SigIgn) SetSignal(Sigint, previous); // a handler of this process's own stays
    }

    /// <summary>Its process id, readable after it was disposed.</summary>
    public int Pid { get; private set; }

    /// <summary>Whether the process has exited (true once disposed).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true; // disposed
            }
        }
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    // `dotnet exec actors.dll` on these tests' own runtime configuration and dependencies.
    public static CliRunner Start(params string[] args) => Start(Actors.Processes.WorkerHostCommand.Run(Path.Combine(AppContext.BaseDirectory, "actors.dll")), args);

    /// <summary>Runs the <c>actors</c> command with <paramref name="args"/> through <paramref name="wrap"/> (inside a network namespace, say).</summary>
    public static CliRunner Start(Func<ProcessStartInfo, ProcessStartInfo> wrap, params string[] args)
    {
        var start = Actors.Processes.WorkerHostCommand.Run(Path.Combine(AppContext.BaseDirectory, "actors.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Start(wrap(start), []);
    }

    /// <summary>Runs <c>dotnet DLL</c> in its own folder, as <c>dotnet run</c> would (a sample built with the tests).</summary>
    public static CliRunner StartDll(string dll, params string[] args) => StartDll(dll, new Dictionary<string, string>(), args);

    /// <summary>Runs <c>dotnet DLL</c> in its own folder with <paramref name="environment"/> added to this process's environment.</summary>
    public static CliRunner StartDll(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(dll);
        return Start(start, args);
    }

    /// <summary>Runs an executable file (an installed tool's command) in the tests' folder.</summary>
    public static CliRunner StartFile(string file, params string[] args) => Start(new ProcessStartInfo(file), args);

    private static CliRunner Start(ProcessStartInfo start, string[] args)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        if (start.WorkingDirectory.Length == 0) start.WorkingDirectory = AppContext.BaseDirectory;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var runner = new CliRunner(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (runner._stdout) runner._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (runner._stderr) runner._stderr.AppendLine(e.Data); };
        process.Start();
        runner.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Runs to the end; a run that takes longer than <paramref name="timeout"/> is killed and fails.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var runner = Start(args);
        var exitCode = await runner.WaitForExitAsync(timeout);
        return (exitCode, runner.Stdout, runner.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"actors did not exit within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>The address a worker node started with this runner listens at, once it has said so.</summary>
    public Task<string> ListeningAddressAsync(TimeSpan timeout) =>
        OutputAsync(line => Actors.Protocol.WorkerHostOutput.TryParseListening(line, out var address) ? address : null, "where it listens", timeout);

    /// <summary>The first value <paramref name="find"/> reads off a line of standard output, once there is one.</summary>
    public Task<string> OutputAsync(Func<string, string?> find, string what, TimeSpan timeout) => LineAsync(() => Stdout, find, what, timeout);

    /// <summary>The first value <paramref name="find"/> reads off a line of standard error, once there is one.</summary>
    public Task<string> ErrorAsync(Func<string, string?> find, string what, TimeSpan timeout) => LineAsync(() => Stderr, find, what, timeout);

    private async Task<string> LineAsync(Func<string> text, Func<string, string?> find, string what, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var line in text().Split('\n'))
                if (find(line) is { } found) return found;
            if (deadline.IsCancellationRequested || _process.HasExited)
                throw new TimeoutException($"the process never said {what}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            // Polling another process's output: there is no event to await.
            await Task.Delay(50, CancellationToken.None);
        }
    }

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-s", name, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    private const int Sigint = 2;
    private static readonly nint SigDfl = 0, SigIgn = 1;

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint SetSignal(int signal, nint handler);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
