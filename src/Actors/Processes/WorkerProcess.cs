using System.Diagnostics;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>A worker process listens at <paramref name="Address"/>: its workers can be listed there.</summary>
internal sealed record HostListening(int Pid, string Address) : INoSerializationVerificationNeeded;

/// <summary>A worker process has exited; <paramref name="Announced"/> are the chunks it said it started, latest last.</summary>
/// <param name="LastErrors">Its last lines on standard error, for saying why a process that never got ready failed.</param>
internal sealed record HostExited(int Pid, int ExitCode, IReadOnlyList<long> Announced, string LastErrors) : INoSerializationVerificationNeeded;

/// <summary>
/// One worker OS process a pool started: reads its output lines (bounded in length), remembers the
/// chunks it announced, tells its owner when it exits, and stops it in order or kills it.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>Announcements kept: a process runs one chunk per worker at a time, so the latest few name them all.</summary>
    private const int AnnouncementsKept = 64;

    /// <summary>Lines of standard error kept for a start-up failure's message.</summary>
    private const int ErrorLinesKept = 5;

    private readonly Process _process;
    private readonly Queue<long> _announced = new();
    private readonly Queue<string> _errors = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private WorkerProcess(Process process, IActorRef owner, ILoggingAdapter log)
    {
        _process = process;
        Pid = process.Id;
        _stdout = WorkerHostOutput.ReadLinesAsync(process.StandardOutput, line =>
        {
            if (WorkerHostOutput.TryParseStarted(line, out var chunk)) Announce(chunk);
            else if (WorkerHostOutput.TryParseListening(line, out var address)) owner.Tell(new HostListening(Pid, address));
            else log.Debug("worker process {0}: {1}", Pid, line);
        }, started: Announce);
        _stderr = WorkerHostOutput.ReadLinesAsync(process.StandardError, line =>
        {
            lock (_errors)
            {
                if (_errors.Count == ErrorLinesKept) _errors.Dequeue();
                _errors.Enqueue(line);
            }
            // A dying process's stack trace is for debugging; its first line says what happened.
            if (line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.StartsWith('[')) log.Debug("worker process {0}: {1}", Pid, line);
            else log.Warning("worker process {0}: {1}", Pid, line);
        });
    }

    public int Pid { get; }

    /// <summary>The workers deployed into it once it reported ready.</summary>
    public List<IActorRef> Workers { get; } = new();

    public bool Ready { get; set; }

    /// <summary>The pool killed it because it did not list its workers in time.</summary>
    public bool TimedOut { get; set; }

    /// <summary>
    /// Starts a worker host and hands it <paramref name="credentials"/> on its standard input;
    /// <paramref name="owner"/> is told <see cref="HostListening"/> when it listens and
    /// <see cref="HostExited"/> once it has exited and its output is read to the end, or once
    /// <paramref name="exitOutputTimeout"/> has passed since it exited, whichever comes first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host could not be started.</exception>
    public static WorkerProcess Start(ProcessStartInfo start, TlsPolicy? credentials, IActorRef owner, ILoggingAdapter log, TimeSpan exitOutputTimeout)
    {
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"could not start the worker host {start.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start the worker host {start.FileName}: {e.Message}", e);
        }
        var host = new WorkerProcess(process, owner, log);
        if (credentials is not null) _ = host.HandOverAsync(credentials, log);
        _ = host.ReportExitAsync(owner, log, exitOutputTimeout);
        return host;
    }

    private async Task HandOverAsync(TlsPolicy credentials, ILoggingAdapter log)
    {
        try
        {
            await CredentialChannel.WriteAsync(_process.StandardInput, credentials).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // It died before it read them; its exit is reported as usual.
            log.Debug("worker process {0} did not take its credentials: {1}", Pid, e.Message);
        }
    }

    private async Task ReportExitAsync(IActorRef owner, ILoggingAdapter log, TimeSpan exitOutputTimeout)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // Read to the end: the last chunk it announced before it died is known. A process that a job
        // started and that outlives the host keeps the pipes open, so the end may never come.
        try
        {
            await Task.WhenAll(_stdout, _stderr).WaitAsync(exitOutputTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log.Warning("worker process {0} exited, but its output was still open {1} later (a process it started holds it, actors.pool.processes.exit-output-timeout); "
                + "reporting its exit with what it wrote until then", Pid, exitOutputTimeout);
            StopReading();
        }
        long[] announced;
        lock (_announced) announced = _announced.ToArray();
        string errors;
        lock (_errors) errors = string.Join(" | ", _errors);
        owner.Tell(new HostExited(Pid, ExitCode(), announced, errors));
    }

    /// <summary>Closes our ends of its output pipes: whatever else still holds them is not this host.</summary>
    private void StopReading()
    {
        try
        {
            _process.StandardOutput.BaseStream.Dispose();
            _process.StandardError.BaseStream.Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Nothing left to close.
        }
    }

    private void Announce(long chunk)
    {
        lock (_announced)
        {
            if (_announced.Count == AnnouncementsKept) _announced.Dequeue();
            _announced.Enqueue(chunk);
        }
    }

    /// <summary>Asks the process to stop (closing its standard input), and kills it if it has not within <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        try
        {
            _process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            Kill();
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public void Dispose() => _process.Dispose();

    private int ExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
