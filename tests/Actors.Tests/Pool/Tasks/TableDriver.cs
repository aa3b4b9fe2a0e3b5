using Actors.Protocol;
using Actors.Pool.Tasks;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// Drives a <see cref="TaskTable{TWorker}"/> named by strings, one command at a time, at a time the
/// spec sets (<see cref="Now"/>); checks the table's invariants after every command and returns its
/// decisions as short lines a spec can compare exactly:
/// <c>send 3 to w1: 4,5</c> (<c>send 3 to w1: 4 (charged 1)</c> once tries were charged),
/// <c>deliver job 1 #4: 16,25 pid 4242</c>,
/// <c>fail job 1 #4 (4) after 3: Boom: bad input</c>.
/// </summary>
internal sealed class TableDriver
{
    /// <summary>The pid every answer of this driver carries.</summary>
    public const int Pid = 4242;

    /// <summary>The job type of <see cref="Policy"/>.</summary>
    public const string JobType = "square";

    /// <summary>How long a worker may owe answers without giving any before the table probes it.</summary>
    public static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(5);

    /// <summary>Inputs sent, by chunk id, so that a worker's answer can be worked out.</summary>
    private readonly Dictionary<long, int[]> _sent = new();

    public TableDriver(int chunksPerWorker = 1, WorkerChoice choice = WorkerChoice.RoundRobin, TimeSpan? stealAfter = null)
        : this(PipelineDepth.Fixed(chunksPerWorker), choice, stealAfter)
    {
    }

    /// <param name="stealAfter">How long a worker may be silent before the chunks it has not started go to an idle one; never by default.</param>
    public TableDriver(PipelineDepth depth, WorkerChoice choice = WorkerChoice.RoundRobin, TimeSpan? stealAfter = null)
    {
        Table = new TaskTable<string>(depth, choice, TableDriver.ProbeAfter, stealAfter: stealAfter) { CheckInvariants = true };
    }

    public TaskTable<string> Table { get; }

    /// <summary>The time every command is given.</summary>
    public TimeSpan Now { get; set; }

    /// <summary>A job that squares its inputs.</summary>
    public static JobPolicy Policy(int maxAttempts = 3, TimeSpan? timeout = null, bool retryJobExceptions = true) =>
        new(JobType, maxAttempts, timeout, retryJobExceptions);

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Starts job <paramref name="jobId"/> and submits <paramref name="inputs"/> from index 0.</summary>
    public string[] StartJob(long jobId, JobPolicy policy, params int[] inputs)
    {
        Table.StartJob(jobId, policy);
        return inputs.Length == 0 ? [] : Submit(jobId, 0, inputs);
    }

    public string[] Submit(long jobId, long firstIndex, params int[] inputs) => Checked(Table.Submit(jobId, firstIndex, inputs, Now));

    public string[] EndJob(long jobId) => Checked(Table.EndJob(jobId, Now));

    public string[] AddWorkers(params string[] workers) => Checked(Table.AddWorkers(workers, Now));

    /// <summary><paramref name="worker"/> answers chunk <paramref name="chunkId"/> with the squares of the inputs it was sent, having run it in <paramref name="runTime"/> (zero: not measured).</summary>
    public string[] Complete(string worker, long chunkId, TimeSpan runTime = default) =>
        Checked(Table.Completed(worker, chunkId, _sent[chunkId].Select(Square).ToArray(), Pid, Now, runTime));

    /// <summary><paramref name="worker"/> answers chunk <paramref name="chunkId"/> with <paramref name="outputs"/>, right or not.</summary>
    public string[] Completed(string worker, long chunkId, int[] outputs) => Checked(Table.Completed(worker, chunkId, outputs, Pid, Now));

    /// <summary>The inputs chunk <paramref name="chunkId"/> was sent with.</summary>
    public int[] SentInputs(long chunkId) => _sent[chunkId];

    /// <summary>The job threw for the input at <paramref name="offset"/> of chunk <paramref name="chunkId"/>; the ones before it are squared.</summary>
    public string[] Fail(string worker, long chunkId, int offset, bool retryable = true, string message = "bad input") =>
        Failed(worker, chunkId, offset, _sent[chunkId][..offset].Select(Square).ToArray(), retryable, message);

    public string[] Failed(string worker, long chunkId, int offset, int[] completed, bool retryable = true, string message = "bad input") =>
        Checked(Table.Failed(worker, chunkId, offset, completed, JobError.Of("Boom", message), retryable, Pid, Now));

    public string[] LoseWorkers(string[] workers, params long[] announced) => Checked(Table.LoseWorkers(workers, "worker process 7 exited with code 134", announced, Now));

    public string[] RetireWorkers(params string[] workers) => Checked(Table.RetireWorkers(workers, Now));

    public string[] Expire() => Checked(Table.Expire(Now));

    public string[] FailQueued(string reason) => Checked(Table.FailQueued("NoWorkersLeft", reason, Now));

    public string[] Probe() => Checked(Table.Probe(Now));

    public string[] Probed(string worker, long probeId) => Checked(Table.Probed(worker, probeId, Now));

    /// <summary>The chunk cannot cross the wire: refused by <paramref name="worker"/> in its turn, or withheld before it was sent.</summary>
    public string[] Refused(string worker, long chunkId, bool answered, Charge why = Charge.TooLarge, string reason = "too large") =>
        Checked(Table.Refused(worker, chunkId, why, reason, answered, Now));

    public static int Square(int input) => input * input;

    /// <summary>The workers the last command found overdue (busy past a deadline), as "worker with chunk"; left out of the descriptions.</summary>
    public string[] Overdue { get; private set; } = [];

    private string[] Checked(IReadOnlyList<TableDecision> decisions)
    {
        Table.AssertInvariants();
        Overdue = decisions.OfType<WorkerOverdue<string>>().Select(overdue => $"{overdue.Worker} with {overdue.ChunkId}").ToArray();
        decisions = decisions.Where(decision => decision is not WorkerOverdue<string>).ToArray();
        foreach (var send in decisions.OfType<SendChunk<string>>()) _sent[send.ChunkId] = (int[])send.Inputs.ToArray();
        return decisions.Select(Describe).ToArray();
    }

    private static string Describe(TableDecision decision) => decision switch
    {
        SendChunk<string> send => $"send {send.ChunkId} to {send.Worker}: {Join(send.Inputs.ToArray())}{(send.Tries == 0 ? "" : $" (charged {send.Tries})")}{(send.JobType == JobType ? "" : $" as {send.JobType}")}",
        DeliverResults results => $"deliver job {results.JobId} #{results.FirstIndex}: {Join(results.Outputs!)} pid {results.Pid}",
        ReportFailure failure => $"fail job {failure.JobId} #{failure.Index} ({failure.Input}) after {failure.Attempts}: {failure.Error.Type}: {failure.Error.Message}",
        CancelRun<string> cancel => $"cancel {cancel.ChunkId} at {cancel.Worker}",
        ProbeWorker<string> probe => $"probe {probe.ProbeId} to {probe.Worker}",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "a decision this driver does not know"),
    };

    private static string Join(Array values) => string.Join(",", values.Cast<object>());
}
