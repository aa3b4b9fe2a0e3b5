using System.CommandLine;
using Actors.Cluster;
using Actors.Processes;
using Actors.Protocol;

namespace Actors.Cli.Commands;

/// <summary>
/// <c>actors node</c>: runs a node. Role <c>worker</c> hosts pool workers, started by a pool or by
/// hand; with <c>--seeds</c> (or <c>--mode cluster</c>), and always for role <c>seed</c>, it runs a
/// cluster member instead (<see cref="ClusterNodeCommand"/>).
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        // A node is always on the wire: it reads the same remoting settings (frame size, serializer
        // bindings) as a pool in processes mode.
        var common = new CommonOptions(defaultMode: "processes");
        var role = new Option<string>("--role") { Description = "The node's role.", Required = true };
        role.AcceptOnlyFromAmong("worker", ClusterNodeOptions.SeedRole);
        var hostname = new Option<string>(WorkerHostArguments.HostnameOption)
        {
            Description = "The interface to listen on (loopback unless you choose otherwise).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>(WorkerHostArguments.PortOption) { Description = "The port to listen on; 0 takes a free one." };
        hostname.Validators.Add(result =>
        {
            if (Uri.CheckHostName(result.GetValueOrDefault<string>()) == UriHostNameType.Unknown)
                result.AddError($"{WorkerHostArguments.HostnameOption} '{result.GetValueOrDefault<string>()}' is not a host name or an IP address.");
        });
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535) result.AddError("--port must be 0..65535.");
        });
        var parent = new Option<string?>(WorkerHostArguments.ParentOption) { Description = "Actor path of the pool that started this node (set by the pool)." };
        var parentPid = new Option<int?>(WorkerHostArguments.ParentPidOption) { Description = "Process id of the pool's process; the node exits when it does (set by the pool)." };
        var assemblies = new Option<string[]>(WorkerHostArguments.AssemblyOption)
        {
            Description = "An assembly holding job types to load (repeatable).",
            DefaultValueFactory = _ => [],
        };
        var command = new Command("node", "Run a worker node that pools deploy workers into; with --seeds or --role seed, a cluster member.")
        {
            role, hostname, port, parent, parentPid, assemblies,
        };
        common.AddTo(command);
        ClusterNodeCommand.AddOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterNodeCommand.Selects(parse)) return await ClusterNodeCommand.RunAsync(parse, cancellationToken);
            var config = common.Load(parse);
            var options = new WorkerHostArguments
            {
                Hostname = parse.GetValue(hostname)!,
                Port = parse.GetValue(port),
                Parent = parse.GetValue(parent),
                ParentPid = parse.GetValue(parentPid),
                Assemblies = parse.GetValue(assemblies) ?? [],
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (options.Parent is not null)
            {
                // A pool that started this node closes its standard input to ask for an orderly stop.
                _ = Task.Run(async () =>
                {
                    await Console.In.ReadToEndAsync(stop.Token);
                    await stop.CancelAsync();
                }, stop.Token);
            }
            try
            {
                return await WorkerNode.RunAsync(options, config, Console.Out, stop.Token);
            }
            catch (Exception e) when (e is FileNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CommandLine.Usage;
            }
        });
        return command;
    }
}
