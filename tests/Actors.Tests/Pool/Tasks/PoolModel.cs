using Actors.Protocol;
using Actors.Pool.Tasks;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// Plays callers and workers around a real <see cref="TaskTable{TWorker}"/> (workers named by ints),
/// follows a <see cref="Scenario"/> step by step, and checks every decision the table makes against
/// what really happened. Each worker runs the chunks it was sent one at a time, in order.
/// </summary>
/// <remarks>
/// <para>What "ran" means. A worker starts a run as soon as it is at the head of its mailbox (it is
/// free and takes the next). From that moment every input of the run's chunk has run once more,
/// whatever happens next: the worker completes it, the job throws at some offset, the answer is
/// lost, or the worker dies or leaves mid-chunk. The whole chunk counts, not only the inputs before
/// the one the worker was on, because the table charges a lost worker's running chunk and a late
/// chunk as a whole. A run the worker never started has not run, though it was sent, with one
/// exception: a run waiting at a worker behind the first run of that worker whose answer has not
/// reached the table, for inputs that run also holds (a retry sent back behind its own late run),
/// counts as run for those inputs at once. Their try is running already: the table charges such a retry when it is late, as the one
/// way to end a call whose input never finishes on its only worker.</para>
/// <para>What is lost. Answers are held back (<see cref="StepKind.DelayAnswer"/>) and delivered
/// later or never; one is held back only while a later run waits in the same worker's mailbox, so
/// an answer to a later run always comes unless the worker goes. A chunk lost on its way to the
/// worker is not played: the table cannot tell it from a lost answer and charges it (NoAnswer) by
/// design, which bounds a chunk whose every answer is lost.</para>
/// </remarks>
internal sealed partial class PoolModel
{
    private const string Threw = "Boom";

    /// <summary>The measured work a worker's pipeline covers: a chunk of 1 ms lets it hold 11, one of 50 ms the least.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromMilliseconds(10);

    /// <summary>What workers say their chunks took: not measured, short, middling, long.</summary>
    private static readonly TimeSpan[] RunTimes = [TimeSpan.Zero, TimeSpan.FromMicroseconds(50), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50)];
    private const int Pid = 7;

    private readonly TaskTable<int> _table;
    private readonly int _chunksPerWorker;
    /// <summary>The most runs a worker may hold: its pipeline deepens while its chunks are short.</summary>
    private readonly int _mostPerWorker;
    private readonly Dictionary<int, ModelWorker> _workers = new();
    private readonly Dictionary<long, ModelJob> _jobs = new();
    /// <summary>Answers delivered once: duplicates are drawn from them.</summary>
    private readonly List<Answer> _delivered = new();
    /// <summary>Answers held back on the way: delivered late, or never.</summary>
    private readonly List<Answer> _held = new();
    /// <summary>Every chunk id the table sent, and to whom.</summary>
    private readonly HashSet<(int Worker, long Chunk)> _sentTo = new();
    private readonly SortedSet<long> _chunkIds = new();
    private int _lastWorker;
    private long _lastJob;
    private TimeSpan _now;

    private PoolModel(Scenario scenario)
    {
        _chunksPerWorker = scenario.ChunksPerWorker;
        _mostPerWorker = Math.Max(scenario.ChunksPerWorker, scenario.MostPerWorker);
        var depth = new PipelineDepth(scenario.ChunksPerWorker, scenario.MostPerWorker, Horizon);
        _table = new TaskTable<int>(depth, scenario.Choice, TimeSpan.FromSeconds(5), stealAfter: scenario.StealAfter) { CheckInvariants = true };
    }

    /// <summary>Plays <paramref name="scenario"/>, drains the pool, and throws at the first thing the table got wrong.</summary>
    public static void Play(Scenario scenario)
    {
        var model = new PoolModel(scenario);
        model.AddWorker();
        foreach (var step in scenario.Steps)
        {
            model.Take(step);
            foreach (var worker in model.Alive) worker.CountWaitingBehindTheirOwnRun();
            model._table.AssertInvariants();
        }
        model.Drain();
    }

    private IEnumerable<ModelWorker> Alive => _workers.Values.Where(worker => worker.Alive);

    private IEnumerable<ModelJob> Open => _jobs.Values.Where(job => !job.Ended);

    private void Take(Step step)
    {
        switch (step.Kind)
        {
            case StepKind.StartJob: StartJob(step.A, step.B); break;
            case StepKind.Submit: Submit(step.A, step.B); break;
            case StepKind.Complete when Pick(Alive.Where(w => w.Mailbox.Count > 0), step.A) is { } worker:
                Deliver(worker.Finish(Output) with { RunTime = RunTimes[step.B % RunTimes.Length] });
                break;
            case StepKind.Fail when Pick(Alive.Where(w => w.Mailbox.Count > 0), step.A) is { } worker:
                Deliver(Fail(worker, step.B));
                break;
            case StepKind.DelayAnswer when Pick(Alive.Where(w => w.Mailbox.Count > 1), step.A) is { } worker:
                _held.Add(step.B % 3 == 0 ? Fail(worker, step.B) : worker.Finish(Output));
                break;
            case StepKind.DeliverLate when Pick(_held, step.A) is { } late:
                _held.Remove(late);
                Deliver(late);
                break;
            case StepKind.Duplicate when Pick(_delivered, step.A) is { } again:
                Deliver(again);
                break;
            case StepKind.Forge when Pick(Alive, step.A) is { } worker:
                Forge(worker, step.B);
                break;
            case StepKind.Timeout:
                _now += TimeSpan.FromMilliseconds(500 * (1 + step.A % 8));
                Apply(_table.Expire(_now));
                break;
            case StepKind.AddWorker: AddWorker(); break;
            case StepKind.LoseWorker when Pick(Alive, step.A) is { } worker:
                LoseWorker(worker, step.B);
                break;
            case StepKind.RetireWorker when Pick(Alive, step.A) is { } worker:
                // It leaves in order: it finishes the chunk it is on, and that answer comes too late.
                if (worker.Mailbox.Count > 0) _held.Add(worker.Finish(Output));
                worker.Alive = false;
                Apply(_table.RetireWorkers([worker.Id], _now));
                break;
            case StepKind.EndJob when Pick(Open, step.A) is { } job:
                job.Ended = true;
                Apply(_table.EndJob(job.Id, _now));
                break;
            case StepKind.NoWorkersLeft when !Alive.Any():
                Apply(_table.FailQueued(nameof(StepKind.NoWorkersLeft), "no workers left", _now));
                break;
        }
    }

    private void StartJob(int a, int b)
    {
        var id = ++_lastJob;
        TimeSpan? timeout = (b % 3) switch { 0 => null, var seconds => TimeSpan.FromSeconds(seconds) };
        var policy = new JobPolicy($"job-{id}", MaxAttempts: 1 + a % 3, timeout, RetryJobExceptions: a % 4 != 3);
        _jobs.Add(id, new ModelJob(id, policy));
        _table.StartJob(id, policy);
    }

    private void Submit(int a, int b)
    {
        if (!Open.Any()) StartJob(a, b);
        SubmitTo(Pick(Open, a)!, 1 + b % 4);
    }

    private void SubmitTo(ModelJob job, int count)
    {
        var first = job.Values.Count;
        var inputs = Enumerable.Range(first, count).Select(index => Value(job.Id, index)).ToArray();
        job.Values.AddRange(inputs);
        Apply(_table.Submit(job.Id, first, inputs, _now));
    }

    private void AddWorker()
    {
        var worker = new ModelWorker(++_lastWorker, this);
        _workers.Add(worker.Id, worker);
        Apply(_table.AddWorkers([worker.Id], _now));
    }

    /// <summary>The worker dies mid-chunk; its host names what it started (or nothing, or also what other workers of the host started).</summary>
    private void LoseWorker(ModelWorker worker, int b)
    {
        worker.Alive = false;
        worker.Mailbox.Clear();
        long[] announced = (b % 3) switch
        {
            0 => [],
            1 => worker.Started.ToArray(),
            _ => _workers.Values.Where(other => other != worker).SelectMany(other => other.Started).Concat(worker.Started).ToArray(),
        };
        Apply(_table.LoseWorkers([worker.Id], $"worker {worker.Id} died", announced, _now));
    }

    /// <summary>The job throws for one input of the worker's current run.</summary>
    private Answer Fail(ModelWorker worker, int b)
    {
        var run = worker.Mailbox.First!.Value;
        var offset = b % run.Inputs.Length;
        var (jobId, index) = Decode(run.Inputs[offset]);
        _jobs[jobId].Threw.Add(index);
        return worker.Finish(Output) with { FailedAt = offset, Retryable = b % 5 != 4 };
    }

    /// <summary>An answer from a worker the chunk was never sent to (or for a chunk that never was): it must change nothing.</summary>
    private void Forge(ModelWorker worker, int b)
    {
        var never = _chunkIds.Where(id => !_sentTo.Contains((worker.Id, id))).Append(1_000_000 + b).ToArray();
        var chunk = never[b % never.Length];
        var decisions = b % 2 == 0
            ? _table.Completed(worker.Id, chunk, new[] { 1 }, Pid, _now)
            : _table.Failed(worker.Id, chunk, 0, Array.Empty<int>(), JobError.Of(Threw, "forged"), true, Pid, _now);
        Require(decisions.Count == 0, $"a forged answer from worker {worker.Id} for chunk {chunk} changed something: {string.Join("; ", decisions)}");
    }

    /// <summary>
    /// Hands an answer to the table. One the worker sent after answering a later run, sent more
    /// than once, or sent from a worker that is gone must change nothing.
    /// </summary>
    private void Deliver(Answer answer)
    {
        var worker = _workers[answer.Worker];
        var stale = !worker.Alive || answer.Seq <= worker.AnsweredUpTo;
        var decisions = answer.FailedAt is { } offset
            ? _table.Failed(worker.Id, answer.Chunk, offset, answer.Outputs[..offset], JobError.Of(Threw, "thrown"), answer.Retryable, Pid, _now)
            : _table.Completed(worker.Id, answer.Chunk, answer.Outputs, Pid, _now, answer.RunTime);
        if (stale) Require(decisions.Count == 0, $"a stale answer for chunk {answer.Chunk} changed something: {string.Join("; ", decisions)}");
        else worker.Answered(answer.Seq);
        if (!_delivered.Contains(answer)) _delivered.Add(answer);
        Apply(decisions);
    }

    /// <summary>
    /// After the scenario: workers answer everything they hold (a worker is added if none is left),
    /// time passes, and every input of every job still open must have its outcome; then the table
    /// must be empty with every worker's room free, and stay so once the jobs end.
    /// </summary>
    private void Drain()
    {
        if (!Alive.Any()) AddWorker();
        AnswerEverything();
        var held = _table.Counts;
        Require(held is { InFlight: 0, Queued: 0 }, $"every worker answered everything, yet the table holds {held}");
        _now += TimeSpan.FromDays(1);
        Require(_table.Expire(_now).Count == 0, "a chunk expired after every worker answered");
        foreach (var job in Open)
        {
            var missing = Enumerable.Range(0, job.Values.Count).Where(index => !job.Outcomes.ContainsKey(index)).ToArray();
            Require(missing.Length == 0, $"job {job.Id}: inputs {string.Join(",", missing)} never had an outcome");
        }

        // Every worker's room is free: as many chunks as the workers may hold all go out at once.
        var workers = Alive.Count();
        StartJob(0, 0);
        var probe = _jobs[_lastJob];
        for (var i = 0; i < workers * _chunksPerWorker; i++) SubmitTo(probe, 1);
        Require(Alive.Sum(w => w.Mailbox.Count) == workers * _chunksPerWorker, "a worker's room is still taken by a run it answered");
        AnswerEverything();
        Require(probe.Outcomes.Count == probe.Values.Count, "the probe's inputs did not all have their outcome");

        foreach (var job in Open.ToList())
        {
            job.Ended = true;
            Apply(_table.EndJob(job.Id, _now));
        }
        _table.AssertInvariants();
        var counts = _table.Counts;
        Require(counts == new TableCounts(workers, 0, counts.MaxInFlight, 0, 0, counts.Retries)
                && counts.MaxInFlight >= workers * _chunksPerWorker && counts.MaxInFlight <= workers * _mostPerWorker,
            $"the table is not empty once every job ended: {counts}");
    }

    private void AnswerEverything()
    {
        for (var answers = 0; Alive.FirstOrDefault(w => w.Mailbox.Count > 0) is { } busy; answers++)
        {
            Require(answers < 100_000, "the pool never drains");
            Deliver(busy.Finish(Output));
        }
    }

    private static T? Pick<T>(IEnumerable<T> items, int n) where T : class
    {
        var list = items as IReadOnlyList<T> ?? items.ToList();
        return list.Count == 0 ? null : list[n % list.Count];
    }

    /// <summary>Input values name their job and index, so the model can check any decision on its own.</summary>
    private static int Value(long jobId, int index) => checked((int)(jobId * 100_000 + index));

    private static (long JobId, int Index) Decode(int value) => (value / 100_000, value % 100_000);

    private static int Output(int input) => input * 3 + 1;

    private static void Require(bool condition, string broken)
    {
        if (!condition) throw new InvalidOperationException(broken);
    }
}
