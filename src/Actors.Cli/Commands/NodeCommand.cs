using System.CommandLine;
using Actors.Cluster;
using Actors.Workers;
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
        var parentPid = new Option<int?>(WorkerHostArguments.ParentPidOption)
        {
            Description = "Process id of the pool that started this node (set by the pool): the node takes its credentials from standard input, stops at its end, and exits with that process.",
        };
        var assemblies = new Option<string[]>(WorkerHostArguments.AssemblyOption)
        {
            Description = "An assembly holding job types to load (repeatable); only its jobs and the built-in ones run here.",
            DefaultValueFactory = _ => [],
        };
        var workers = new Option<int>(WorkerHostArguments.WorkersOption)
        {
            Description = "How many workers the node creates.",
            DefaultValueFactory = _ => 1,
        };
        workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1024) result.AddError($"{WorkerHostArguments.WorkersOption} must be 1..1024.");
        });
        var command = new Command("node", "Run a worker node: it creates workers that pools in processes mode list and send chunks to; with --seeds or --role seed, a cluster member.")
        {
            role, hostname, port, parentPid, assemblies, workers,
        };
        common.AddTo(command);
        ClusterNodeCommand.AddOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterNodeCommand.Selects(parse)) return await ClusterNodeCommand.RunAsync(parse, cancellationToken);
            var config = common.Load(parse);
            var arguments = new WorkerHostArguments
            {
                Hostname = parse.GetValue(hostname)!,
                Port = parse.GetValue(port),
                ParentPid = parse.GetValue(parentPid),
                Assemblies = parse.GetValue(assemblies) ?? [],
                Workers = parse.GetValue(workers),
            };
            try
            {
                return await WorkerNode.RunAsync(arguments, config, Console.In, Console.Out, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or ArgumentException or TimeoutException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CommandLine.Usage;
            }
        });
        return command;
    }
}
