using System.CommandLine;
using Actors.Cli.Commands;

var root = new RootCommand("Actors: threads, processes, pools and locks, answered with Akka.NET actors.")
{
    DemoCommand.Create(),
    MapCommand.Create(),
    BenchCommand.Create(),
    NodeCommand.Create(),
    ClusterCommand.Create(),
    CertCommand.Create(),
    Actors.Cli.Bench.RemoteFloorHost.Create(),
};
return await CommandLine.InvokeAsync(root, args);
