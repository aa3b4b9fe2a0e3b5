using System.CommandLine;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Protocol;
using Actors.Security;
using Spectre.Console;

namespace Actors.Cli.Commands;

/// <summary>
/// <c>actors cluster up</c>: a seed and N worker nodes as processes of this machine, watched live
/// until Ctrl+C stops them all; <c>actors cluster status</c>: what a running cluster is doing, once
/// (<c>--once</c>, <c>--json</c> for scripts) or live.
/// </summary>
internal static class ClusterCommand
{
    /// <summary>The most worker nodes <c>cluster up</c> starts on one machine.</summary>
    public const int MaxWorkers = 32;

    /// <summary>The width of the status table when the output is not a terminal: wide enough that no cell wraps.</summary>
    private const int PlainWidth = 400;

    public static Command Create() => new("cluster", "Run a cluster of nodes on this machine, or watch a running one.")
    {
        CreateUpCommand(),
        CreateStatusCommand(),
    };

    private static Command CreateUpCommand()
    {
        var workers = new Option<int>("--workers") { Description = "Worker nodes to start besides the seed.", DefaultValueFactory = _ => 2 };
        workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxWorkers) result.AddError($"--workers must be 1..{MaxWorkers}.");
        });
        var hostname = new Option<string>(WorkerHostArguments.HostnameOption) { Description = "The interface every node listens on.", DefaultValueFactory = _ => "127.0.0.1" };
        hostname.Validators.Add(result =>
        {
            if (Uri.CheckHostName(result.GetValueOrDefault<string>()) == UriHostNameType.Unknown)
                result.AddError($"--hostname '{result.GetValueOrDefault<string>()}' is not a host name or an IP address.");
        });
        var port = new Option<int>(WorkerHostArguments.PortOption) { Description = "The seed's port; 0 takes a free one (printed)." };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535) result.AddError("--port must be 0..65535.");
        });
        var folder = new Option<DirectoryInfo?>("--dir")
        {
            Description = "Where the cluster's development certificates and node settings go (kept); default: a private temporary folder, removed on exit.",
        };
        var noRestart = new Option<bool>("--no-restart") { Description = "Leave a worker node that dies dead (by default it is started again, with backoff)." };
        var config = CommonOptions.NewConfig();
        var command = new Command("up", "Start a seed and N worker nodes on this machine (TLS with a development authority) and show them live; Ctrl+C stops them all.")
        {
            workers, hostname, port, folder, noRestart, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var plan = new ClusterUp.Plan(parse.GetValue(workers), parse.GetValue(hostname)!, parse.GetValue(port), parse.GetValue(folder)?.FullName, parse.GetValue(config)?.FullName,
                Restart: !parse.GetValue(noRestart));
            return await ClusterUp.RunAsync(plan, cancellationToken);
        });
        return command;
    }

    private static Command CreateStatusCommand()
    {
        var seeds = ClusterNodeCommand.Seeds();
        var once = new Option<bool>("--once") { Description = "Print one snapshot and exit, instead of a live view." };
        var json = new Option<bool>("--json") { Description = "Print the snapshot as one JSON object (implies --once)." };
        var config = CommonOptions.NewConfig();
        var command = new Command("status", "Show the members of a running cluster, what their workers are doing, and the pools submitting work.")
        {
            seeds, once, json, config,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(seeds) ?? []).Length == 0) result.AddError($"{ClusterNodeCommand.SeedsOption} is required: the address of a seed (or any member) of the cluster to watch.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = ActorsConfig.Load(new ConfigOptions { Mode = ClusterSubmitter.Mode, File = parse.GetValue(config)?.FullName });
            IReadOnlyList<Akka.Actor.Address> addresses;
            try
            {
                addresses = SeedAddresses.Parse(parse.GetValue(seeds)!, loaded);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"error: {ClusterNodeCommand.SeedsOption}: {e.Message}");
                return CommandLine.Usage;
            }
            if (parse.GetValue(json)) JsonOutput.Reserve();
            await using var observer = ClusterObserver.Start(loaded, addresses);
            if (!parse.GetValue(once) && !parse.GetValue(json))
            {
                await WatchAsync(observer, [], ClusterModeSettings.Create(loaded).RefreshInterval, cancellationToken);
                return CommandLine.Ok;
            }
            var snapshot = await observer.TakeAsync(cancellationToken);
            // Without a terminal the table is for logs and grep: as wide as its rows, one line per member.
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = PlainWidth;
            if (parse.GetValue(json)) JsonOutput.Write(ClusterView.ToJson(snapshot));
            else AnsiConsole.Write(new ClusterView().Render(snapshot, []));
            if (snapshot.Contact is not null) return CommandLine.Ok;
            await Console.Error.WriteLineAsync($"no seed answered: {string.Join(", ", addresses)} (is the cluster up, and is --config's certificate issued by its authority?)");
            return CommandLine.Failed;
        });
        return command;
    }

    /// <summary>The node processes now: cluster up's restarts replace them in place, under the list's lock.</summary>
    private static ClusterNodeProcess[] Current(IReadOnlyList<ClusterNodeProcess> processes)
    {
        lock (processes) return [.. processes];
    }

    /// <summary>
    /// Shows snapshots until cancelled: a live table on a terminal, a line per change otherwise. One
    /// refresh loop; a refresh waits at most <paramref name="refresh"/> for answers, so a slow member
    /// shows "no answer" (once its question times out) without holding up the others' rows.
    /// </summary>
    public static async Task WatchAsync(ClusterObserver observer, IReadOnlyList<ClusterNodeProcess> processes, TimeSpan refresh, CancellationToken cancellationToken)
    {
        var view = new ClusterView();
        try
        {
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                await AnsiConsole.Live(new Markup("[grey]asking the seeds…[/]")).AutoClear(false).StartAsync(async context =>
                {
                    while (true)
                    {
                        context.UpdateTarget(view.Render(await observer.RefreshAsync(refresh, cancellationToken), Current(processes)));
                        context.Refresh();
                        await Task.Delay(refresh, cancellationToken);
                    }
                });
            }
            else
            {
                while (true)
                {
                    foreach (var line in view.Lines(await observer.RefreshAsync(refresh, cancellationToken))) Console.WriteLine(line);
                    await Task.Delay(refresh, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the caller stops what it started.
        }
    }
}
