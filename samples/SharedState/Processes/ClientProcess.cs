using System.Diagnostics;
using System.Globalization;
using System.Text;
using Actors.Security;

namespace SharedState.Processes;

/// <summary>
/// A client OS process: this sample's own executable started in its client role
/// (<c>SharedState client --owner ADDRESS --slot N --increments M --rounds R</c>), handed the owner's
/// TLS credentials as the first line of its standard input (<see cref="CredentialChannel"/>: never
/// on its command line, in its environment or on disk). Its output is collected; disposing kills it
/// if it is still running.
/// </summary>
public sealed class ClientProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientProcess(Process process) => _process = process;

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => _exited.Task;

    public int Pid => _process.Id;

    /// <summary>What the client printed on standard output and standard error so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Starts a client of the owner at <paramref name="owner"/> that counts into <paramref name="slot"/>
    /// and hands it <paramref name="credentials"/>. A client that dies before it takes them is reported
    /// by <see cref="Exited"/> as usual.
    /// </summary>
    /// <param name="handOffTimeout">How long the hand-over may take (a few kilobytes into a pipe: it does not wait for the client).</param>
    /// <exception cref="TimeoutException">The credentials could not be written within <paramref name="handOffTimeout"/> (the process is left to <see cref="Dispose"/>).</exception>
    public static async Task<ClientProcess> StartAsync(string owner, TlsPolicy credentials, int slot, int increments, int rounds,
        TimeSpan handOffTimeout, CancellationToken ct)
    {
        var client = Start(owner, slot, increments, rounds);
        try
        {
            await CredentialChannel.WriteAsync(client._process.StandardInput, credentials, ct).WaitAsync(handOffTimeout, ct);
            // The client reads nothing after its credentials.
            client._process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It died before it read them; its exit code and output say why.
        }
        catch (TimeoutException)
        {
            client.Dispose();
            throw new TimeoutException($"client process {client.Pid} did not take its credentials within {handOffTimeout}.");
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    private static ClientProcess Start(string owner, int slot, int increments, int rounds)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
        foreach (var arg in new[] { "client", "--owner", owner, "--slot", Invariant(slot), "--increments", Invariant(increments), "--rounds", Invariant(rounds) })
            start.ArgumentList.Add(arg);

        var process = new Process { StartInfo = start };
        var client = new ClientProcess(process);
        process.OutputDataReceived += (_, e) => client.Append(e.Data);
        process.ErrorDataReceived += (_, e) => client.Append(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => client._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Waits for the client to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (it is left to <see cref="Dispose"/>).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"client process {Pid} did not finish within {timeout}; it printed:\n{Output}");
        }
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return root is not null && File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "dotnet";
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
