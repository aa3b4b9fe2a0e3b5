using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Actors.IntegrationTests.Partitions;

/// <summary>
/// Linux network namespaces for partition specs: one namespace per host, each joined by a veth
/// pair to a bridge that lives in a namespace of its own, so every host has its own address and a
/// link can be cut while the processes on both sides keep running. Addresses come from
/// 198.18.0.0/15 (reserved for benchmarks), one /24 per run; names carry a run id so that
/// concurrent runs never meet; every namespace (and with it every link) is removed on dispose.
/// A namespace's name also carries the pid of the test process that made it: a rig removes the
/// namespaces of rigs whose process is gone (a test host killed before it could dispose), and
/// nothing else. Traffic stays inside the rig: the namespaces have no route anywhere else.
/// </summary>
internal sealed class NetnsRig : IDisposable
{
    private readonly string _id;
    private readonly int _subnet;
    private readonly List<string> _namespaces = [];
    private readonly HashSet<(int, int)> _cuts = [];

    private NetnsRig(string id, int subnet)
    {
        _id = id;
        _subnet = subnet;
    }

    /// <summary>The hosts, numbered from 1.</summary>
    public int Hosts { get; private set; }

    /// <summary>What every namespace of a rig's name starts with, then the pid of the process that made it.</summary>
    private const string Prefix = "actors-rig-";

    /// <summary>The namespace of the bridge.</summary>
    private string Bridge => Name("br");

    /// <summary>
    /// Makes <paramref name="hosts"/> namespaces on one bridge, or says why it cannot: not Linux,
    /// no <c>ip</c>, not root, or the kernel refused a namespace (a container without the privilege).
    /// </summary>
    public static NetnsRig? TryCreate(int hosts, out string? whyNot)
    {
        whyNot = Unavailable();
        if (whyNot is not null) return null;
        RemoveOrphans();
        var rig = new NetnsRig(Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant(), RandomNumberGenerator.GetInt32(0, 512));
        try
        {
            Run("netns", "add", rig.Bridge);
            rig._namespaces.Add(rig.Bridge);
            Run("-n", rig.Bridge, "link", "add", "br0", "type", "bridge");
            Run("-n", rig.Bridge, "link", "set", "br0", "up");
            for (var host = 1; host <= hosts; host++) rig.AddHost(host);
            rig.Hosts = hosts;
            return rig;
        }
        catch (InvalidOperationException e)
        {
            rig.Dispose();
            whyNot = $"network namespaces cannot be made here: {e.Message}";
            return null;
        }
    }

    /// <summary>The namespace of host <paramref name="host"/>.</summary>
    public string Namespace(int host) => Name($"n{host}");

    private string Name(string part) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{_id}-{part}");

    /// <summary>Removes the namespaces that rigs of test processes no longer running left behind.</summary>
    private static void RemoveOrphans()
    {
        foreach (var line in Run("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var owner = name[Prefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Directory.Exists($"/proc/{pid}")) continue;
            Delete(name);
        }
    }

    /// <summary>The address of host <paramref name="host"/>, in 198.18.0.0/15.</summary>
    public string Address(int host) => string.Create(CultureInfo.InvariantCulture, $"198.{18 + _subnet / 256}.{_subnet % 256}.{10 + host}");

    /// <summary>Cuts host <paramref name="host"/> off the bridge: its peers see silence, not a reset.</summary>
    public void Isolate(int host) => Run("-n", Bridge, "link", "set", BridgePort(host), "down");

    /// <summary>Puts host <paramref name="host"/> back on the bridge.</summary>
    public void Rejoin(int host) => Run("-n", Bridge, "link", "set", BridgePort(host), "up");

    /// <summary>
    /// Cuts every link between a host of <paramref name="side"/> and a host of <paramref name="other"/>
    /// (each side's packets to the other are dropped by a blackhole route), leaving the rest as it is.
    /// </summary>
    public void Cut(IEnumerable<int> side, IEnumerable<int> other)
    {
        foreach (var a in side)
            foreach (var b in other)
            {
                if (_cuts.Add((a, b))) Run("-n", Namespace(a), "route", "add", "blackhole", Address(b) + "/32");
                if (_cuts.Add((b, a))) Run("-n", Namespace(b), "route", "add", "blackhole", Address(a) + "/32");
            }
    }

    /// <summary>Undoes every <see cref="Cut"/>.</summary>
    public void HealCuts()
    {
        foreach (var (a, b) in _cuts) Run("-n", Namespace(a), "route", "del", "blackhole", Address(b) + "/32");
        _cuts.Clear();
    }

    /// <summary>The command line that runs <paramref name="program"/> inside host <paramref name="host"/>'s namespace.</summary>
    public ProcessStartInfo InHost(int host, ProcessStartInfo program)
    {
        var start = new ProcessStartInfo("ip") { WorkingDirectory = program.WorkingDirectory };
        foreach (var argument in new[] { "netns", "exec", Namespace(host), program.FileName }) start.ArgumentList.Add(argument);
        foreach (var argument in program.ArgumentList) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Removes every namespace of the rig; the veth pairs and the bridge go with them.</summary>
    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces)) Delete(ns);
        _namespaces.Clear();
    }

    /// <summary>Removes namespace <paramref name="ns"/>; one gone already (another rig removed it first) is no error.</summary>
    private static void Delete(string ns)
    {
        try
        {
            Run("netns", "del", ns);
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    private string BridgePort(int host) => $"ac{_id}p{host}";

    private void AddHost(int host)
    {
        var ns = Namespace(host);
        var inside = $"ac{_id}v{host}";
        Run("netns", "add", ns);
        _namespaces.Add(ns);
        Run("link", "add", inside, "type", "veth", "peer", "name", BridgePort(host));
        Run("link", "set", inside, "netns", ns);
        Run("link", "set", BridgePort(host), "netns", Bridge);
        Run("-n", Bridge, "link", "set", BridgePort(host), "master", "br0");
        Run("-n", Bridge, "link", "set", BridgePort(host), "up");
        Run("-n", ns, "addr", "add", Address(host) + "/24", "dev", inside);
        Run("-n", ns, "link", "set", inside, "up");
        Run("-n", ns, "link", "set", "lo", "up");
    }

    private static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Geteuid() != 0) return "network namespaces need root (the specs run as root in CI)";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip") && !File.Exists("/bin/ip"))
            return "the ip command (iproute2) is not installed";
        return null;
    }

    /// <summary>Runs <c>ip</c> with <paramref name="arguments"/> and returns what it printed.</summary>
    /// <exception cref="InvalidOperationException">It failed; the message has what it printed.</exception>
    private static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var ip = Process.Start(start) ?? throw new InvalidOperationException("could not start ip");
        var output = ip.StandardOutput.ReadToEndAsync();
        var errors = ip.StandardError.ReadToEnd();
        if (!ip.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            ip.Kill();
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} did not finish within 30 s");
        }
        if (ip.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', arguments)} exited with {ip.ExitCode}: {errors.Trim()}");
        return output.Result;
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();
}
