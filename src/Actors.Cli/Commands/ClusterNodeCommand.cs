using System.CommandLine;
using System.CommandLine.Parsing;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Protocol;
using Actors.Workers;

namespace Actors.Cli.Commands;

/// <summary>
/// The cluster side of <c>actors node</c>: <c>--role seed</c>, or <c>--role worker</c> with
/// <c>--seeds</c> (or <c>--mode cluster</c>), runs a cluster member until Ctrl+C or SIGTERM, then
/// leaves in order and exits 0. Without them, <c>--role worker</c> stays the worker host of
/// processes mode.
/// </summary>
internal static class ClusterNodeCommand
{
    public const string SeedsOption = "--seeds";
    public const string PublicHostnameOption = "--public-hostname";

    /// <summary>Adds the options only a cluster member reads.</summary>
    public static void AddOptions(Command command)
    {
        command.Options.Add(Seeds());
        var publicHostname = new Option<string?>(PublicHostnameOption)
        {
            Description = "Cluster: the host other members dial, when it is not --hostname (NAT, containers, --hostname 0.0.0.0).",
        };
        publicHostname.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } host && Uri.CheckHostName(host) == UriHostNameType.Unknown)
                result.AddError($"{PublicHostnameOption} '{host}' is not a host name or an IP address.");
        });
        command.Options.Add(publicHostname);
    }

    /// <summary>The <c>--seeds</c> option: seed addresses, comma-separated or repeated.</summary>
    public static Option<string[]> Seeds() => new(SeedsOption)
    {
        Description = "Cluster: seed nodes to join, comma-separated or repeated (akka.ssl.tcp://actors@HOST:PORT, or HOST:PORT).",
        DefaultValueFactory = _ => [],
    };

    /// <summary>Whether this invocation runs a cluster member: role seed, seeds given, or <c>--mode cluster</c>.</summary>
    public static bool Selects(ParseResult parse) =>
        parse.GetValue<string>("--role") == ClusterNodeOptions.SeedRole
        || (parse.GetValue<string[]>(SeedsOption) ?? []).Length > 0
        || ModeGiven(parse) && parse.GetValue<string>("--mode") == "cluster";

    /// <summary>Whether <c>--mode</c> was written on the command line (the node command's default is processes mode).</summary>
    private static bool ModeGiven(ParseResult parse) => parse.GetResult("--mode") is OptionResult { Implicit: false };

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var mode = parse.GetValue<string>("--mode");
        if (ModeGiven(parse) && mode != "cluster")
        {
            await Console.Error.WriteLineAsync($"error: a cluster node (--role seed, or --seeds) runs in cluster mode, not --mode {mode}.");
            return CommandLine.Usage;
        }
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "cluster",
            File = parse.GetValue<FileInfo?>("--config")?.FullName,
            Overrides = [StopSignals.OwnHandlers, .. parse.GetValue<string[]>("--override") ?? []],
        });
        var options = new ClusterNodeOptions
        {
            Role = parse.GetValue<string>("--role")!,
            Hostname = parse.GetValue<string>(WorkerHostArguments.HostnameOption)!,
            PublicHostname = parse.GetValue<string?>(PublicHostnameOption),
            Port = parse.GetValue<int>(WorkerHostArguments.PortOption),
            Seeds = parse.GetValue<string[]>(SeedsOption) ?? [],
            ParentPid = parse.GetValue<int?>(WorkerHostArguments.ParentPidOption),
            Assemblies = parse.GetValue<string[]>(WorkerHostArguments.AssemblyOption) ?? [],
        };
        try
        {
            return await ClusterNode.RunAsync(options, config, Console.Out, Console.Error, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or PortInUseException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return CommandLine.Usage;
        }
    }
}
