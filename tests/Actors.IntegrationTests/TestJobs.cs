using System.Diagnostics;
using Actors.Jobs;

namespace Actors.IntegrationTests;

/// <summary>A user's own CPU-bound job: spins about 20 µs, then returns 3·x + 1. Lives only in
/// this assembly, so a worker process can run it only when told to load the assembly.</summary>
public sealed class SpinJob : IJob<long, long>
{
    public long Run(long input)
    {
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50_000;
        while (Stopwatch.GetTimestamp() < until) { }
        return 3 * input + 1;
    }
}

/// <summary>A user's record types crossing the process boundary through System.Text.Json.</summary>
public sealed record Rectangle(double Width, double Height);

/// <summary>Computes an area: a job whose input and output are not primitives.</summary>
public sealed class AreaJob : IJob<Rectangle, double>
{
    public double Run(Rectangle input) => input.Width * input.Height;
}

/// <summary>Returns its input, but kills its whole process for negative inputs: a poison input.</summary>
public sealed class PoisonJob : IJob<long, long>
{
    public long Run(long input)
    {
        if (input < 0) Environment.FailFast($"poison job was given {input}");
        return input;
    }
}

/// <summary>Returns its input's length: a job whose inputs can be made larger than a message may carry.</summary>
public sealed class LengthJob : IJob<string, int>
{
    public int Run(string input) => input.Length;
}

/// <summary>Returns a string of <c>input</c> kibibytes: a job whose outputs can be made larger than a message may carry.</summary>
public sealed class KibibytesJob : IJob<int, string>
{
    public string Run(int input) => new('k', input * 1024);
}

/// <summary>A record holding a double: crosses the wire as JSON, NaN and infinities included.</summary>
public sealed record Ratio(double Value);

/// <summary>1/x as a record: for 0 the value is infinite, for NaN not a number.</summary>
public sealed class InverseJob : IJob<double, Ratio>
{
    public Ratio Run(double input) => new(1.0 / input);
}

/// <summary>Returns its input: doubles there and back as raw bytes.</summary>
public sealed class SameDoubleJob : IJob<double, double>
{
    public double Run(double input) => input;
}

/// <summary>A record whose computed property throws for a negative value: System.Text.Json cannot write it.</summary>
public sealed record Unwritable(long Value)
{
    public long Checked => Value >= 0 ? Value : throw new InvalidOperationException($"unwritable value {Value}");
}

/// <summary>Wraps its input in an <see cref="Unwritable"/>: an output the wire cannot carry for negative inputs.</summary>
public sealed class UnwritableJob : IJob<long, Unwritable>
{
    public Unwritable Run(long input) => new(input);
}

/// <summary>Python's <c>starmap</c> in C#: a job over pairs, the natural tuple form.</summary>
public sealed class PairSumJob : IJob<(long Left, long Right), long>
{
    public long Run((long Left, long Right) input) => input.Left + input.Right;
}

/// <summary>Throws <see cref="KeyNotFoundException"/> (a well-known type) for negative inputs.</summary>
public sealed class LookupJob : IJob<long, long>
{
    public long Run(long input) => input >= 0 ? input : throw new KeyNotFoundException($"no entry {input}");
}

/// <summary>A user's own exception type: no other process rebuilds it.</summary>
public sealed class LedgerException(string message) : Exception(message);

/// <summary>Throws <see cref="LedgerException"/> for negative inputs.</summary>
public sealed class LedgerJob : IJob<long, long>
{
    public long Run(long input) => input >= 0 ? input : throw new LedgerException($"ledger entry {input} is negative");
}

/// <summary>An input known only by its interface: its concrete type would not cross the wire.</summary>
public interface IMeasure
{
    long Size { get; }
}

public sealed record Box(long Size) : IMeasure;

/// <summary>A job over an interface type: refused in processes mode before any input is sent.</summary>
public sealed class MeasureJob : IJob<IMeasure, long>
{
    public long Run(IMeasure input) => input.Size;
}

/// <summary>
/// Returns its input, but for <c>grandchild:PATH</c> starts a long-lived process that inherits its
/// host's standard output and error, appends that process's id to PATH (for the spec to kill it),
/// and kills its own process: a dead worker process whose output pipes stay open.
/// </summary>
public sealed class GrandchildJob : IJob<string, string>
{
    public const string Prefix = "grandchild:";

    public string Run(string input)
    {
        if (!input.StartsWith(Prefix, StringComparison.Ordinal)) return input;
        // No redirection: the child inherits this process's standard streams, as a shell would.
        using var grandchild = Process.Start(new ProcessStartInfo("sleep", "3600") { UseShellExecute = false })
            ?? throw new InvalidOperationException("sleep did not start");
        File.AppendAllText(input[Prefix.Length..], $"{grandchild.Id}\n");
        Environment.FailFast($"grandchild job left process {grandchild.Id} behind");
        return input;
    }
}

/// <summary>Writes a file at the path it is given, then never returns: a synchronous job that hangs, holding its worker's thread.</summary>
public sealed class HangingJob : IJob<string, string>
{
    /// <summary>Never set: the job blocks on it for good.</summary>
    private static readonly ManualResetEventSlim Never = new();

    public string Run(string input)
    {
        File.WriteAllText(input, "running");
        Never.Wait();
        return input;
    }
}

/// <summary>
/// Spins about 20 ms, then appends its index to a file: input "PATH|INDEX". Which inputs ran, and
/// how many, can be read from the file after the map, whichever process ran them.
/// </summary>
public sealed class LoggedSpinJob : IJob<string, long>
{
    public long Run(string input)
    {
        var (path, index) = (input[..input.LastIndexOf('|')], long.Parse(input[(input.LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
        while (Stopwatch.GetTimestamp() < until) { }
        File.AppendAllLines(path, [index.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return index;
    }
}

/// <summary>Writes its process id to the file its input names, then blocks for good, deaf to cancellation: only killing its process ends it.</summary>
public sealed class PidHangingJob : IJob<string, string>
{
    private static readonly ManualResetEventSlim Never = new();

    public string Run(string input)
    {
        // Written aside and moved into place, so that whoever sees the file sees the whole pid.
        File.WriteAllText(input + ".tmp", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(input + ".tmp", input, overwrite: true);
        Never.Wait();
        return input;
    }
}
