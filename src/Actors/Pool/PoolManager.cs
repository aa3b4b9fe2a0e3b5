using System.Diagnostics;
using Actors.Pool.Tasks;
using Actors.Protocol;
using Actors.Serialization;
using Actors.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace Actors.Pool;

/// <summary>
/// The course's "pool manager", as a thin actor over a <see cref="TaskTable{TWorker}"/>: it feeds the
/// table what callers, workers and its membership children say, and turns the table's decisions
/// into messages. Where workers come from is its membership children's business (a local router
/// pool, worker processes, pre-started nodes, cluster members): they tell it only that workers
/// were added, lost, cannot be reached, are leaving, or that none are left.
/// </summary>
/// <remarks>
/// Three behaviours: <see cref="Starting"/> until every membership child has reported once (status
/// queries wait, so that the first one already counts the workers); <see cref="Serving"/>; and
/// <see cref="Unavailable"/> once every membership child has said that no worker is left and none is
/// coming, where every input submitted fails at once with the reason, until workers are added again.
/// </remarks>
internal sealed partial class PoolManager : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private const string TickTimer = "tick";

    private readonly PoolSettings _settings;
    private readonly IReadOnlyList<Props> _membershipProps;
    private readonly TaskTable<IActorRef> _table;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Each open job's caller, where its outcomes go, its destination, where local workers write its outputs,
    /// and whether its chunks have a deadline (they are then sent alone, and answered at once).</summary>
    private readonly Dictionary<long, (IActorRef Caller, Array? Destination, bool Timed)> _callers = new();
    /// <summary>The children that may add and remove workers; nobody else may.</summary>
    private readonly HashSet<IActorRef> _memberships = new();
    /// <summary>Membership children that said no worker is left; the pool is unavailable once all have.</summary>
    private readonly HashSet<IActorRef> _givenUp = new();
    /// <summary>Membership children that have not reported yet.</summary>
    private readonly HashSet<IActorRef> _silent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WireLimits _wire;
    /// <summary>Chunks for remote workers, gathered per worker while one command's decisions are applied.</summary>
    private readonly OutgoingChunks _outgoing;
    /// <summary>Each membership child's host count; the pool's is their sum.</summary>
    private readonly Dictionary<IActorRef, int> _hosts = new();
    /// <summary>Workers still busy past a chunk's deadline, in words, until they answer or are gone.</summary>
    private readonly Dictionary<IActorRef, string> _stuck = new();
    /// <summary>Callers waiting for a number of workers.</summary>
    private readonly List<(int Count, IActorRef ReplyTo)> _waiting = new();
    private string? _unavailable;
    /// <summary>Answers from workers so far: how a health check tells a pool that makes progress from a stuck one.</summary>
    private long _answers;
    /// <summary>The pool's metrics and chunk spans.</summary>
    private readonly PoolTelemetry _telemetry;

    /// <param name="settings">The pool section.</param>
    /// <param name="choice">How the table picks a worker for each chunk (from the configured router).</param>
    /// <param name="memberships">The props of the children that provide workers.</param>
    public PoolManager(PoolSettings settings, WorkerChoice choice, IReadOnlyList<Props> memberships)
    {
        _settings = settings;
        _membershipProps = memberships;
        _table = new TaskTable<IActorRef>(settings.Depth, choice, settings.ProbeAfter, settings.RetireAfter, settings.StealAfter);
        _wire = WireLimits.For(Context.System);
        _outgoing = new OutgoingChunks(Self, _wire.BatchBytes);
        _telemetry = new PoolTelemetry(Self.Path.Name, settings.Mode);
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(PoolSettings settings, WorkerChoice choice, IReadOnlyList<Props> memberships) =>
        Akka.Actor.Props.Create(() => new PoolManager(settings, choice, memberships));

    protected override void PreStart()
    {
        for (var i = 0; i < _membershipProps.Count; i++) _memberships.Add(Context.ActorOf(_membershipProps[i], $"membership-{i}"));
        _silent.UnionWith(_memberships);
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.TickInterval);
    }

    protected override void PostStop() => _telemetry.Dispose();

    /// <summary>
    /// A manager that fails stops instead of being restarted empty: a restart would forget the calls
    /// it holds, and they would wait forever; a stopped manager ends them (its WorkerPool watches it).
    /// </summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            _log.Error(e, "pool {0} stops: its manager failed on a {1}", Self.Path.Name, message.GetType().Name);
            Context.Stop(Self);
            return true;
        }
    }

    private TimeSpan Now => _clock.Elapsed;

    private void Starting()
    {
        Receive<GetPoolStatus>(_ => Stash.Stash());
        Serving();
    }

    private void Serving()
    {
        _unavailable = null;
        Receive<SubmitChunk>(submit => Apply(_table.Submit(submit.JobId, submit.FirstIndex, submit.Inputs, Now, submit.Trace)));
        Receive<NoWorkersLeft>(none =>
        {
            if (!FromMembership(none)) return;
            _givenUp.Add(Sender);
            if (_givenUp.Count < _memberships.Count || _table.Counts.Workers > 0) return;
            _log.Warning("no workers left: {0}; every waiting and later input fails until workers are added", none.Reason);
            Become(() => Unavailable(none.Reason));
            Apply(_table.FailQueued(nameof(NoWorkersLeft), none.Reason, Now));
        });
        Receive<WorkersAdded>(AddWorkers);
        Common();
    }

    private void Unavailable(string reason)
    {
        _unavailable = reason;
        Receive<SubmitChunk>(submit =>
        {
            Apply(_table.Submit(submit.JobId, submit.FirstIndex, submit.Inputs, Now, submit.Trace));
            Apply(_table.FailQueued(nameof(NoWorkersLeft), reason, Now));
        });
        Receive<NoWorkersLeft>(_ => { });
        Receive<WorkersAdded>(added =>
        {
            if (!FromMembership(added)) return;
            Become(Serving);
            AddWorkers(added);
        });
        Common();
    }

    private void Common()
    {
        Receive<StartJob>(start =>
        {
            _callers[start.JobId] = (start.ReplyTo, start.Destination, start.Policy.TaskTimeout is not null);
            _table.StartJob(start.JobId, start.Policy);
            _telemetry.JobStarted(start.JobId, start.Policy.JobType);
        });
        Receive<EndJob>(end =>
        {
            _callers.Remove(end.JobId);
            _telemetry.JobEnded(end.JobId);
            Apply(_table.EndJob(end.JobId, Now));
        });
        Receive<IChunkAnswer>(answer =>
        {
            _stuck.Remove(Sender);
            Apply(Answered(answer));
        });
        Receive<ChunkAnswers>(answers =>
        {
            _stuck.Remove(Sender);
            // One command for the lot: the chunks their answers make room for go out in batches too.
            var decisions = new List<TableDecision>();
            foreach (var answer in answers.Answers) decisions.AddRange(Answered(answer));
            Apply(decisions);
        });
        Receive<Probed>(probed => Apply(_table.Probed(Sender, probed.Id, Now)));
        Receive<WorkersLost>(lost =>
        {
            if (!FromMembership(lost)) return;
            _log.Info("{0}: the chunk it was running is charged a try; the rest of its work goes back to the queue", lost.Reason);
            _telemetry.Spans.Lost(lost.Workers);
            foreach (var worker in lost.Workers) _stuck.Remove(worker);
            Apply(_table.LoseWorkers(lost.Workers, lost.Reason, lost.AnnouncedChunks, Now));
        });
        Receive<WorkersUnreachable>(unreachable =>
        {
            if (!FromMembership(unreachable)) return;
            _log.Info("{0}: no more chunks go to {1} worker(s); what they hold waits until they are lost, leave or come back", unreachable.Reason, unreachable.Workers.Count);
            Apply(_table.SuspendWorkers(unreachable.Workers, Now));
        });
        Receive<WorkersLeaving>(leaving =>
        {
            if (FromMembership(leaving)) Apply(_table.RetireWorkers(leaving.Workers, Now));
        });
        Receive<HostsCounted>(counted =>
        {
            if (!FromMembership(counted)) return;
            var before = _hosts.GetValueOrDefault(Sender);
            _hosts[Sender] = counted.Hosts;
            _telemetry.HostsCounted(before, counted.Hosts, _hosts.Values.Sum());
        });
        Receive<WaitForWorkers>(wait =>
        {
            _waiting.Add((wait.Count, Sender));
            AnswerWaiting();
        });
        Receive<Tick>(_ =>
        {
            Apply(_table.Expire(Now));
            Apply(_table.Probe(Now));
            _telemetry.Observe(_table.Counts, _table.WorkerStates);
        });
        Receive<GetPoolStatus>(_ => Sender.Tell(Status()));
        Receive<StopWorkers>(_ =>
        {
            _telemetry.Stopping();
            Task.WhenAll(_memberships.Select(membership => membership.Ask<WorkersStopped>(StopWorkers.Instance, _settings.StopTimeout)))
                .PipeTo(Sender, success: () => WorkersStopped.Instance);
        });
    }

    /// <summary>What the table decides on a worker's answer for one chunk.</summary>
    private IReadOnlyList<TableDecision> Answered(IChunkAnswer answer)
    {
        _telemetry.Answered(answer, Sender, _table);
        _answers++;
        return answer switch
        {
            ChunkCompleted done => _table.Completed(Sender, done.ChunkId, done.Outputs, done.Pid, Now, done.RunTime),
            ChunkFailed failed => _table.Failed(Sender, failed.ChunkId, failed.FailedOffset, failed.CompletedOutputs, failed.Error, failed.Retryable, failed.Pid, Now),
            ChunkRefused refused => _table.Refused(Sender, refused.ChunkId, ChargeOf(refused.Reason), $"its outputs cannot cross the wire: {refused.Reason}", answered: true, Now),
            _ => [],
        };
    }

    private void AddWorkers(WorkersAdded added)
    {
        if (!FromMembership(added)) return;
        _givenUp.Remove(Sender);
        Apply(_table.AddWorkers(added.Workers, Now));
    }

    /// <summary>Only the pool's own membership children may change its workers.</summary>
    private bool FromMembership(IMembershipEvent message)
    {
        if (_memberships.Contains(Sender))
        {
            if (_silent.Remove(Sender) && _silent.Count == 0)
            {
                Stash.UnstashAll();
                if (_unavailable is null) Become(Serving);
            }
            return true;
        }
        _log.Warning("ignored {0} from {1}: only the pool's own membership may change its workers", message.GetType().Name, Sender.Path);
        return false;
    }

    /// <summary>Answers the callers waiting for workers whose wait is over: enough workers, or none to be had.</summary>
    private void AnswerWaiting()
    {
        if (_waiting.Count == 0 || _silent.Count > 0) return;
        var status = Status();
        _waiting.RemoveAll(wait =>
        {
            if (status.Routees < wait.Count && status.Unavailable is null) return false;
            wait.ReplyTo.Tell(status);
            return true;
        });
    }

    private PoolStatus Status()
    {
        var counts = _table.Counts;
        return new PoolStatus(counts.Workers, counts.InFlight, counts.MaxInFlight, counts.Queued, counts.Jobs, counts.Retries, _hosts.Values.Sum(), _unavailable, _answers,
            _stuck.Count == 0 ? null : _stuck.Values.ToArray());
    }
}
