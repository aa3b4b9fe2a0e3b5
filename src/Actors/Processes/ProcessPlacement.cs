using Actors.Pool.Placement;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Processes;

/// <summary>
/// Processes mode (<c>actors.pool.mode = processes</c>): workers live in worker processes the pool
/// starts and replaces (<see cref="WorkerProcesses"/>), on worker nodes started by hand and listed in
/// <c>actors.pool.processes.nodes</c> (<see cref="WorkerNodes"/>), or both. It needs remoting, and
/// when TLS is on (the default) a system created with its credentials, which it hands to the
/// processes it starts.
/// </summary>
internal sealed class ProcessPlacement : WorkerPlacement
{
    public override string RequiredProvider => "remote";

    public override ActorSystem CreateSystem(string name, Config config) => WireSecurity.CreateSystem(name, config);

    public override void CheckSettings(Pool.PoolSettings settings) => Settings(settings.Section);

    public override PlacementPlan Plan(PlacementRequest request)
    {
        WorkerHosts.RequireRemoting(request.System);
        WireSecurity.Require(request.System);
        var settings = Settings(request.Settings.Section);
        return new PlacementPlan(WorkerHosts.Memberships(settings), WorkerHosts.ExpectedWorkers(settings), settings.StartTimeout);
    }

    /// <summary>The <c>processes</c> subsection of a pool's section.</summary>
    /// <exception cref="Configuration.ConfigException">A value is invalid (the message names its key).</exception>
    public static ProcessSettings Settings(Config poolSection) => ProcessSettings.Create(poolSection.IsEmpty ? null : poolSection.GetConfig("processes"));
}
