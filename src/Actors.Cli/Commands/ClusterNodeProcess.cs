using System.Diagnostics;
using System.Runtime.InteropServices;
using Actors.Processes;
using Actors.Protocol;

namespace Actors.Cli.Commands;

/// <summary>
/// One cluster node that <c>actors cluster up</c> started as a process of this machine: where it
/// listens (read from its first line), its last words on standard error, and an orderly stop
/// (SIGTERM: it leaves the cluster) that ends in a kill when the node takes too long.
/// </summary>
internal sealed class ClusterNodeProcess : IDisposable
{
    private const int Sigterm = 15;
    private const int LinesKept = 20;

    private readonly Process _process;
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _errors = new();

    private ClusterNodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        Pid = process.Id;
    }

    /// <summary>Its name in the view (seed, worker-1, …).</summary>
    public string Name { get; }

    public int Pid { get; }

    /// <summary>Its cluster address once it has printed it; null before.</summary>
    public string? Address => _address.Task.IsCompletedSuccessfully ? _address.Task.Result : null;

    /// <summary>Its exit code once it has exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Its last lines on standard error, oldest first.</summary>
    public IReadOnlyList<string> LastErrors
    {
        get { lock (_errors) return _errors.ToArray(); }
    }

    /// <summary>Starts <c>actors node</c> with <paramref name="arguments"/> (after the word <c>node</c>).</summary>
    /// <exception cref="InvalidOperationException">The <c>actors</c> command cannot be found or started.</exception>
    public static ClusterNodeProcess Start(string name, IEnumerable<string> arguments)
    {
        var start = WorkerHostCommand.Run(typeof(ClusterNodeProcess).Assembly.Location);
        start.ArgumentList.Add("node");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // never the terminal's: Ctrl+C reaches it as a signal, not as input
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var node = new ClusterNodeProcess(name, process);
        _ = WorkerHostOutput.ReadLinesAsync(process.StandardOutput, line =>
        {
            if (WorkerHostOutput.TryParseListening(line, out var address)) node._address.TrySetResult(address);
        });
        _ = WorkerHostOutput.ReadLinesAsync(process.StandardError, line =>
        {
            lock (node._errors)
            {
                node._errors.Enqueue(line.Length > WorkerHostOutput.MaxLineLength ? line[..WorkerHostOutput.MaxLineLength] : line);
                while (node._errors.Count > LinesKept) node._errors.Dequeue();
            }
        });
        return node;
    }

    /// <summary>Completes when the process has exited.</summary>
    public Task ExitedAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits for the address the node prints once it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited first, or did not listen within <paramref name="timeout"/>; the message has its last errors.</exception>
    public async Task<string> AddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(_address.Task, exited, Task.Delay(timeout, cancellationToken));
        if (first == _address.Task) return await _address.Task;
        cancellationToken.ThrowIfCancellationRequested();
        var why = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not listen within {timeout}";
        throw new InvalidOperationException($"{Name} (pid {Pid}) {why}: {string.Join(Environment.NewLine, LastErrors)}");
    }

    /// <summary>Asks the node to leave the cluster and exit (SIGTERM); kills it when it has not exited within <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        _ = SendSignal(Pid, Sigterm);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>Kills the node at once (no leaving: the cluster sees it crash).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
