using Actors.Jobs;

namespace Actors.IntegrationTests.Telemetry;

/// <summary>Returns its input, and throws for negative inputs: a job that fails for chosen inputs, in a worker process.</summary>
public sealed class NegativeFailsJob : IJob<long, long>
{
    public long Run(long input) => input < 0 ? throw new ArgumentOutOfRangeException(nameof(input), input, "negative") : input;
}

/// <summary>An input of <see cref="HeldJob"/>: the folder where it says it started and waits to be released.</summary>
public sealed record HeldInput(string Folder, long Value);

/// <summary>
/// Writes its process id to <c>started-VALUE</c> in its input's folder, then waits (at most a minute)
/// until a file named <c>release</c> appears there, and returns the value: a run a spec can catch
/// in the middle, in whatever process it runs.
/// </summary>
public sealed class HeldJob : IAsyncJob<HeldInput, long>
{
    public async Task<long> RunAsync(HeldInput input, CancellationToken cancellationToken)
    {
        // Written aside and moved into place, so that whoever sees the file sees the whole pid.
        var started = Path.Combine(input.Folder, $"started-{input.Value}");
        await File.WriteAllTextAsync(started + ".tmp", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        File.Move(started + ".tmp", started, overwrite: true); // a retry writes it again
        var release = Path.Combine(input.Folder, "release");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(1));
        while (!File.Exists(release)) await Task.Delay(10, bound.Token);
        return input.Value;
    }
}
