using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Actors.Cli.Jobs;
using Actors.Jobs;
using Actors.Pool;
using Actors.Security;
using Akka.Actor;
using Spectre.Console;

namespace Actors.Cli.Commands;

/// <summary><c>actors map</c>: runs a built-in job over a range on a worker pool, like Python's <c>Pool.map</c>.</summary>
internal static class MapCommand
{
    private const string PoolName = "map";

    /// <summary>The most local workers one map may ask for: more would only cost memory.</summary>
    private const int MaxWorkers = 10_000;

    public static Command Create()
    {
        var common = new CommonOptions();
        var job = new Option<string>("--job")
        {
            Description = $"The job to run: {string.Join(", ", JobCatalog.Names)}.",
            Required = true,
        };
        job.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>();
            if (!JobCatalog.TryGet(name, out _))
                result.AddError($"unknown job '{name}'; known jobs: {string.Join(", ", JobCatalog.Names)}.");
        });
        var range = new Option<string>("--range")
        {
            Description = "The inputs, half-open like Python's range: START..END (e.g. 0..1000000).",
            Required = true,
        };
        range.Validators.Add(result =>
        {
            if (!InputRange.TryParse(result.GetValueOrDefault<string>(), out _, out var error)) result.AddError(error);
        });
        var workers = new Option<int>("--workers")
        {
            Description = "Routees in local mode (default: one per core); in cluster mode, workers per worker member (default: config/cluster.hocon).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxWorkers) result.AddError($"--workers must be 1..{MaxWorkers}.");
        });
        var processes = new Option<int?>("--processes") { Description = "Worker processes in processes mode (default: one per core)." };
        processes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1) result.AddError("--processes must be at least 1.");
        });
        var chunkSize = new Option<int?>("--chunk-size") { Description = "Inputs per chunk (default: chosen from the input count)." };
        chunkSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1) result.AddError("--chunk-size must be at least 1.");
        });
        var router = new Option<string>("--router")
        {
            Description = "How work is spread over the workers.",
            DefaultValueFactory = _ => "round-robin",
        };
        router.AcceptOnlyFromAmong("round-robin", "smallest-mailbox");
        var json = new Option<bool>("--json") { Description = "Print one JSON object: count, sum, seconds, workers, pids." };

        var command = new Command("map", "Run a job over a range of inputs on a worker pool and summarise the outputs.")
        {
            job, range, workers, processes, chunkSize, router, json,
        };
        common.AddTo(command);
        command.Validators.Add(result =>
        {
            // A job refuses some inputs (a negative sleep would wait forever): say so before anything starts.
            if (JobCatalog.TryGet(result.GetValue(job) ?? "", out _, out var minimum)
                && InputRange.TryParse(result.GetValue(range), out var inputs, out _) && inputs.Count > 0 && inputs.Start < minimum)
                result.AddError($"--range {inputs.Start}..{inputs.End}: job '{result.GetValue(job)}' needs inputs of at least {minimum}.");
        });
        var seeds = ClusterSubmitter.AddSeeds(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var jobName = parse.GetValue(job)!;
            JobCatalog.TryGet(jobName, out var selected);
            InputRange.TryParse(parse.GetValue(range), out var inputs, out _);
            var mode = parse.GetValue(common.Mode)!;
            // In cluster mode nr-of-instances is the cluster-wide total: --workers sets the per-member count instead, when given.
            List<string> overrides = mode != ClusterSubmitter.Mode
                ? [$"akka.actor.deployment./{PoolName} {{ router = {parse.GetValue(router)}-pool, nr-of-instances = {parse.GetValue(workers)} }}"]
                : parse.GetResult(workers) is { Implicit: false }
                    ? [$"akka.actor.deployment./{PoolName} {{ router = {parse.GetValue(router)}-pool, cluster.max-nr-of-instances-per-node = {parse.GetValue(workers)} }}"]
                    : [$"akka.actor.deployment./{PoolName}.router = {parse.GetValue(router)}-pool"];
            if (parse.GetValue(processes) is { } count) overrides.Add($"actors.pool.processes.count = {count}");
            var config = common.Load(parse, [.. overrides]);
            if (ClusterSubmitter.Check(mode, parse.GetValue(seeds)!, config) is { } error)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
                return CommandLine.Usage;
            }
            config = ClusterSubmitter.WithSeeds(config, parse.GetValue(seeds)!);
            var options = new MapOptions { ChunkSize = parse.GetValue(chunkSize) };
            return await RunAsync(mode, config, jobName, selected, inputs, options, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string mode, Akka.Configuration.Config config, string jobName, IJobContract<long, long> job, InputRange inputs, MapOptions options, bool json, CancellationToken cancellationToken)
    {
        if (json) JsonOutput.Reserve();
        var system = ClusterSubmitter.CreateSystem(config);
        try
        {
            await using var pool = WorkerPool.Create(system, PoolName);
            PoolStatus status;
            try
            {
                if (mode == ClusterSubmitter.Mode)
                {
                    // Members come and go: the map starts once any worker member is up.
                    if (await ClusterSubmitter.WaitForWorkersAsync(system, pool, config, cancellationToken) is { } absent)
                    {
                        await Console.Error.WriteLineAsync($"map failed: {ClusterSubmitter.WithTlsRefusal(system, absent)}");
                        return CommandLine.Failed;
                    }
                    status = await pool.GetStatusAsync(cancellationToken);
                }
                // As Python's Pool(): every worker is up before the map starts.
                else status = await pool.WhenReadyAsync(cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is PoolUnavailableException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"map failed: {ClusterSubmitter.WithTlsRefusal(system, e.Message)}");
                return CommandLine.Failed;
            }
            catch (Exception e) when (Interrupted(e, system, cancellationToken))
            {
                await Console.Error.WriteLineAsync("map interrupted while its workers were starting");
                return CommandLine.Ok;
            }
            var tracker = new ProgressTracker();
            options = options with { Progress = tracker };
            var rates = Actors.Telemetry.PoolRates.Shared; // the library's own counters, read as an exporter reads them
            var clock = Stopwatch.StartNew();
            Int128 sum = 0;
            long count = 0;
            var interactive = !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

            async Task Consume(Action<MapProgress>? onProgress)
            {
                tracker.OnReport = onProgress;
                await foreach (var outcome in pool.MapUnorderedAsync(job, inputs.Values(), options, cancellationToken))
                {
                    if (!outcome.Succeeded) throw new PoolTaskException(outcome.Failure!);
                    sum += outcome.Value;
                    count++;
                }
            }

            try
            {
                if (interactive)
                {
                    await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
                    {
                        var bar = context.AddTask($"{jobName} over {inputs}", maxValue: Math.Max(1, inputs.Count));
                        await Consume(progress =>
                        {
                            bar.Value = progress.Completed + progress.Failed;
                            bar.Description = $"{jobName} over {inputs}: {Rates(rates.Read(pool.Name))}";
                        });
                    });
                }
                else
                {
                    var step = Math.Max(1, inputs.Count / 10);
                    var nextReport = step;
                    await Consume(json ? null : progress =>
                    {
                        var done = progress.Completed + progress.Failed;
                        if (done < nextReport) return;
                        nextReport = (done / step + 1) * step;
                        Console.Error.WriteLine($"progress: {done}/{inputs.Count} ({100.0 * done / Math.Max(1, inputs.Count):F0}%), {Rates(rates.Read(pool.Name))}");
                    });
                }
            }
            catch (PoolTaskException e)
            {
                await Console.Error.WriteLineAsync($"map failed: {e.Message}");
                return CommandLine.Failed;
            }
            catch (ObjectDisposedException e) when (!cancellationToken.IsCancellationRequested && ClusterSubmitter.WhyStopped(system) is not null)
            {
                // The pool's actor system stopped under the map: in cluster mode, this member was downed.
                await Console.Error.WriteLineAsync($"map failed after {count} of {inputs.Count} inputs: {ClusterSubmitter.WhyStopped(system) ?? e.Message}");
                return CommandLine.Failed;
            }
            catch (Exception e) when (Interrupted(e, system, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"map interrupted after {count} of {inputs.Count} inputs; nothing in flight was kept");
                return CommandLine.Ok;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var workers = status.Routees;
            try
            {
                workers = Math.Max(workers, (await pool.GetStatusAsync(CancellationToken.None)).Routees);
            }
            catch (Exception e) when (Interrupted(e, system, cancellationToken))
            {
                // Stopped by a signal just after the last result: the count it started with stands.
            }
            var pids = tracker.Pids.Order().ToArray();
            if (json)
            {
                JsonOutput.Write(JsonSerializer.Serialize(new { count, sum = (decimal)sum, seconds, workers, pids }));
            }
            else
            {
                Console.WriteLine($"{jobName} over {inputs}: {count} results in {seconds:F3} s ({count / Math.Max(seconds, 1e-9):N0}/s) on {workers} workers in process(es) {string.Join(", ", pids)}");
                Console.WriteLine($"sum = {sum}");
            }
            return CommandLine.Ok;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/> is how a signal's stop reached the map: the command's token
    /// was cancelled, or the actor system is shutting down (on SIGTERM, Akka's own handler may run its
    /// coordinated shutdown before the command hears of the signal: the pool then ends its calls
    /// with <see cref="ObjectDisposedException"/>, its manager being gone). An interrupted map exits 0, as documented.
    /// </summary>
    private static bool Interrupted(Exception error, ActorSystem system, CancellationToken cancellationToken) =>
        error is OperationCanceledException
        || error is ObjectDisposedException
        && (cancellationToken.IsCancellationRequested || CoordinatedShutdown.Get(system).ShutdownReason is not null || system.WhenTerminated.IsCompleted);

    /// <summary>Throughput and failures over the last 10 s, as the pool's meter counted them.</summary>
    private static string Rates(Actors.Telemetry.PoolRateReading reading) =>
        $"{reading.CompletedPerSecond:N0} inputs/s, {reading.FailedPerSecond:N1} failed/s, {reading.Retried} retried (last 10 s)";

    /// <summary>Keeps the newest progress report and the pids seen, synchronously (Progress&lt;T&gt; would post late).</summary>
    private sealed class ProgressTracker : IProgress<MapProgress>
    {
        public HashSet<int> Pids { get; } = new();

        public Action<MapProgress>? OnReport { get; set; }

        public void Report(MapProgress value)
        {
            Pids.UnionWith(value.Pids);
            OnReport?.Invoke(value);
        }
    }
}
