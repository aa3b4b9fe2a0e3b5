using System.Globalization;
using System.Text.Json;
using Actors.Cluster;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Actors.Cli.Commands;

/// <summary>
/// Shows cluster snapshots: as a live table (members, their workers' chunks and throughput, the
/// pools submitting work, and the processes <c>cluster up</c> started), as one JSON object for
/// scripts, or as one plain line per member whose state changed when the output is not a terminal.
/// A member's throughput is the change in its workers' inputs done between this snapshot and the one
/// before; a pool's figures are its node's reading of the library's meter (the instruments an
/// exporter reads), with rates over the last 10 s. A member removed from the membership is listed
/// as Removed with why (the contact remembers it a minute); one that drops out of every answer
/// stays as a row for <see cref="GoneShownFor"/> with what it was last seen as, so that a killed
/// member is seen unreachable, then down, then removed.
/// </summary>
internal sealed class ClusterView
{
    /// <summary>How long a member that left the membership stays in the view.</summary>
    public static readonly TimeSpan GoneShownFor = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClusterSnapshot? _previous;
    /// <summary>The last plain line of each member, to print only what changed.</summary>
    private readonly Dictionary<string, string> _lastLines = new();
    /// <summary>Members no longer in the membership: how they were last seen, and since when they are gone.</summary>
    private readonly Dictionary<string, (MemberSnapshot Last, DateTimeOffset Since)> _gone = new();

    /// <summary>Inputs per second per member since the previous snapshot shown (0 for a member not seen before).</summary>
    public IReadOnlyDictionary<string, double> Rates(ClusterSnapshot snapshot)
    {
        var rates = new Dictionary<string, double>();
        var seconds = _previous is null ? 0 : (snapshot.TakenAt - _previous.TakenAt).TotalSeconds;
        foreach (var member in snapshot.Members)
        {
            var before = _previous?.Members.FirstOrDefault(m => m.Address == member.Address)?.Workers?.InputsDone;
            rates[member.Address] = seconds > 0 && before is { } done && member.Workers is { } now ? Math.Max(0, now.InputsDone - done) / seconds : 0;
        }
        return rates;
    }

    /// <summary>The table for <paramref name="snapshot"/>; <paramref name="processes"/> lists what <c>cluster up</c> started.</summary>
    public IRenderable Render(ClusterSnapshot snapshot, IReadOnlyList<ClusterNodeProcess> processes)
    {
        var rates = Rates(snapshot);
        var gone = Gone(snapshot);
        _previous = snapshot;
        var members = new Table().Border(TableBorder.Rounded)
            .Title(snapshot.Contact is null ? "[red]no seed or member answered[/]" : $"cluster seen from {Markup.Escape(snapshot.Contact)} at {snapshot.TakenAt.ToLocalTime():HH:mm:ss}")
            .AddColumns("member", "roles", "status", "reachable", "pid", "workers", "running", "chunks done", "inputs done", "inputs/s", "failed", "restarts");
        foreach (var m in snapshot.Members)
        {
            var w = m.Workers;
            members.AddRow(
                Markup.Escape(Short(m.Address)), Markup.Escape(string.Join(",", m.Roles)), Status(m),
                m.Reachable ? "yes" : "[red]no[/]", Pid(m), Text(w?.Workers), Text(w?.ChunksRunning), Text(w?.ChunksDone),
                Text(w?.InputsDone), rates[m.Address].ToString("N0", CultureInfo.InvariantCulture), Text(w?.ChunksFailed), Text(w?.Restarts));
        }
        foreach (var (address, (last, since)) in gone)
            members.AddRow(Markup.Escape(Short(address)), Markup.Escape(string.Join(",", last.Roles)), $"[red]Removed[/] ({Markup.Escape(WhyGone(last))}, {since.ToLocalTime():HH:mm:ss})",
                "-", last.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-", "-", "-", "-", Text(last.Workers?.InputsDone), "-", "-", "-");
        var rows = new List<IRenderable> { members };
        if (snapshot.Pools.Count > 0)
        {
            var pools = new Table().Border(TableBorder.Rounded).Title("pools (each submitter's, from its meter)")
                .AddColumns("member", "pool", "mode", "routees", "chunks in flight", "queued", "inputs retried", "hosts", "inputs done", "failed", "inputs/s (10 s)", "failed/s (10 s)");
            foreach (var p in snapshot.Pools)
                pools.AddRow(Markup.Escape(Short(p.Member)), Markup.Escape(p.Pool.Name), Markup.Escape(p.Pool.Mode), Text(p.Pool.Routees), Text(p.Pool.InFlight), Text(p.Pool.Queued),
                    Text(p.Pool.Retries), Text(p.Pool.Hosts), Text(p.Pool.Completed), Text(p.Pool.Failed),
                    p.Pool.CompletedPerSecond.ToString("N0", CultureInfo.InvariantCulture), p.Pool.FailedPerSecond.ToString("N1", CultureInfo.InvariantCulture));
            rows.Add(pools);
        }
        if (processes.Count > 0)
            rows.Add(new Markup("processes: " + string.Join(", ", processes.Select(p =>
                $"{p.Name} {p.Pid} {(p.ExitCode is { } code ? $"[red]exited ({code})[/]" : "running")}")) + "   [grey]Ctrl+C stops them all[/]"));
        return new Rows(rows);
    }

    /// <summary>Plain lines for <paramref name="snapshot"/>: one per member whose state changed since the last, full width (for logs and grep).</summary>
    public IEnumerable<string> Lines(ClusterSnapshot snapshot)
    {
        var gone = Gone(snapshot);
        _previous = snapshot;
        var at = snapshot.TakenAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var current = new Dictionary<string, string>();
        if (snapshot.Contact is null) current["-"] = "no seed or member answered";
        foreach (var m in snapshot.Members)
            current[m.Address] = m.Status == "Removed"
                ? $"{Short(m.Address)} [{string.Join(",", m.Roles)}] Removed ({m.Reason})"
                : $"{Short(m.Address)} [{string.Join(",", m.Roles)}] {m.Status}{(m.Reason.Length > 0 ? $" ({m.Reason})" : "")} {(m.Reachable ? "reachable" : "unreachable")} pid {Pid(m)}";
        foreach (var (address, (last, _)) in gone)
            current[address] = $"{Short(address)} [{string.Join(",", last.Roles)}] Removed ({WhyGone(last)})";
        foreach (var p in snapshot.Pools)
            current[$"pool {p.Member} {p.Pool.Name}"] = string.Create(CultureInfo.InvariantCulture,
                $"pool {p.Pool.Name} ({p.Pool.Mode}) on {Short(p.Member)}: routees {p.Pool.Routees}, in flight {p.Pool.InFlight}, queued {p.Pool.Queued}, retried {p.Pool.Retries}, hosts {p.Pool.Hosts}, done {p.Pool.Completed}, failed {p.Pool.Failed}, inputs/s {p.Pool.CompletedPerSecond:0}, failed/s {p.Pool.FailedPerSecond:0.0}");
        var lines = new List<string>();
        foreach (var (key, line) in current)
        {
            if (_lastLines.TryGetValue(key, out var before) && before == line) continue;
            _lastLines[key] = line;
            lines.Add($"{at} {line}");
        }
        foreach (var key in _lastLines.Keys.Except(current.Keys).ToArray()) _lastLines.Remove(key);
        return lines;
    }

    /// <summary>Members that were in the previous snapshot (or gone recently) and are not in this one.</summary>
    private IReadOnlyDictionary<string, (MemberSnapshot Last, DateTimeOffset Since)> Gone(ClusterSnapshot snapshot)
    {
        if (snapshot.Contact is null) return _gone;
        var present = snapshot.Members.Select(m => m.Address).ToHashSet();
        foreach (var member in _previous?.Members ?? [])
            if (!present.Contains(member.Address) && member.Status != "Removed" && !_gone.ContainsKey(member.Address)) _gone[member.Address] = (member, snapshot.TakenAt);
        foreach (var address in _gone.Keys.ToArray())
            if (present.Contains(address) || snapshot.TakenAt - _gone[address].Since > GoneShownFor) _gone.Remove(address);
        return _gone;
    }

    /// <summary>A member's status cell: Down and Removed in red, with why when a member said.</summary>
    private static string Status(MemberSnapshot member)
    {
        var status = member.Status is "Down" or "Removed" ? $"[red]{member.Status}[/]" : Markup.Escape(member.Status);
        return member.Reason.Length > 0 ? $"{status} ({Markup.Escape(member.Reason)})" : status;
    }

    /// <summary>Why a member left the membership, from how it was last seen.</summary>
    private static string WhyGone(MemberSnapshot last) => last.Reason.Length > 0 ? last.Reason : last.Status switch
    {
        "Down" => "downed",
        "Leaving" or "Exiting" => "left",
        _ => last.Reachable ? "removed" : "removed after it was unreachable",
    };

    /// <summary>A member's pid, or "no answer" when it did not answer this refresh in time.</summary>
    private static string Pid(MemberSnapshot member) =>
        member.Pid?.ToString(CultureInfo.InvariantCulture) ?? (member.Status is "Down" or "Exiting" or "Removed" ? "-" : "no answer");

    /// <summary><paramref name="snapshot"/> as one JSON object: contact, members (with their workers' counts), pools.</summary>
    public static string ToJson(ClusterSnapshot snapshot) => JsonSerializer.Serialize(new
    {
        contact = snapshot.Contact,
        takenAt = snapshot.TakenAt,
        members = snapshot.Members.Select(m => new
        {
            address = m.Address,
            roles = m.Roles,
            status = m.Status,
            reachable = m.Reachable,
            reason = m.Reason.Length > 0 ? m.Reason : null,
            answered = m.Pid is not null,
            pid = m.Pid,
            workers = m.Workers?.Workers,
            chunksRunning = m.Workers?.ChunksRunning,
            chunksDone = m.Workers?.ChunksDone,
            inputsDone = m.Workers?.InputsDone,
            chunksFailed = m.Workers?.ChunksFailed,
            restarts = m.Workers?.Restarts,
        }),
        pools = snapshot.Pools.Select(p => new
        {
            member = p.Member,
            name = p.Pool.Name,
            mode = p.Pool.Mode,
            routees = p.Pool.Routees,
            inFlight = p.Pool.InFlight,
            queued = p.Pool.Queued,
            retries = p.Pool.Retries,
            hosts = p.Pool.Hosts,
            completed = p.Pool.Completed,
            failed = p.Pool.Failed,
            completedPerSecond = p.Pool.CompletedPerSecond,
            failedPerSecond = p.Pool.FailedPerSecond,
        }),
    }, Json);

    /// <summary>HOST:PORT of a member's address (the scheme and system name are the same for every member, and in the title).</summary>
    private static string Short(string address) =>
        Akka.Actor.Address.TryParse(address, out var parsed) && parsed.Host is not null ? $"{parsed.Host}:{parsed.Port}" : address;

    private static string Text(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
}
