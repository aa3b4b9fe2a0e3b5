using Actors.Pool.Tasks;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Akka.Event;

namespace Actors.Pool;

// How the table's decisions become messages: chunks to workers (gathered per remote worker), results
// and failures to callers, cancellations and probes.
internal sealed partial class PoolManager
{
    private void Apply(IReadOnlyList<TableDecision> decisions)
    {
        AnswerWaiting();
        // A chunk that cannot be sent leads to more decisions: they are taken in turn, after these.
        var work = decisions as List<TableDecision> ?? new List<TableDecision>(decisions);
        for (var i = 0; i < work.Count; i++)
        {
            switch (work[i])
            {
                case SendChunk<IActorRef> send:
                    if (Send(send) is { } refused) work.AddRange(refused);
                    break;
                case CancelRun<IActorRef> cancel:
                    _outgoing.Flush(cancel.Worker);
                    cancel.Worker.Tell(new CancelChunk(cancel.ChunkId));
                    break;
                case WorkerOverdue<IActorRef> overdue:
                    Retire(overdue);
                    break;
                case ProbeWorker<IActorRef> probe:
                    _outgoing.Flush(probe.Worker); // answered once everything sent before it is
                    probe.Worker.Tell(new Probe(probe.ProbeId));
                    break;
                case DeliverResults results when _callers.TryGetValue(results.JobId, out var job):
                    job.Caller.Tell(new ResultsReady(results.JobId, results.FirstIndex, results.Count, results.Outputs, results.Pid));
                    _telemetry.Completed(results.JobId, results.Count);
                    break;
                case ReportFailure failure when _callers.TryGetValue(failure.JobId, out var job):
                    job.Caller.Tell(new InputFailed(failure.JobId, failure.Index, InputText.Describe(failure.Input), failure.Error, failure.Attempts, failure.Input));
                    _telemetry.Failed(failure.JobId);
                    break;
            }
        }
        _outgoing.FlushAll();
        if (_table.HasRetries) _telemetry.Retried(_table.TakeRetries());
    }

    /// <summary>A worker busy past a deadline is reported stuck, and its membership retires it so that the pool keeps its size.</summary>
    private void Retire(WorkerOverdue<IActorRef> overdue)
    {
        var input = InputText.Describe(overdue.FirstInput);
        var reason = $"worker {overdue.Worker.Path} is stuck: job {overdue.JobType}, chunk {overdue.ChunkId} from input #{overdue.FirstIndex} ({input}), "
            + $"past its deadline ({overdue.Timeout} per input) since {DateTime.UtcNow:HH:mm:ss} UTC";
        if (!_stuck.TryAdd(overdue.Worker, reason)) return;
        _log.Warning("{0}; retiring it", reason);
        foreach (var membership in _memberships) membership.Tell(new RetireWorker(overdue.Worker, reason));
    }

    /// <summary>
    /// Sends a chunk: to a worker of this process at once, to a remote one gathered with the other
    /// chunks this command sends it (unless its job has a deadline). A chunk bound for another process
    /// that cannot cross the wire is not sent: the table's decisions on it (split it, or report its
    /// input) are returned.
    /// </summary>
    private IReadOnlyList<TableDecision>? Send(SendChunk<IActorRef> send)
    {
        _callers.TryGetValue(send.JobId, out var job);
        if (!send.Worker.Path.Address.HasGlobalScope)
        {
            // A worker of this process writes the outputs straight into the caller's result array.
            var destination = job.Destination is { } array ? new ArrayRegion(array, checked((int)send.FirstIndex), send.Inputs.Count) : (ArrayRegion?)null;
            send.Worker.Tell(new RunChunk(send.ChunkId, send.JobType, send.Inputs) { Destination = destination, Trace = Traced(send) });
            return null;
        }
        var (bytes, problem) = _wire.Measure(send.Inputs);
        if (problem is not null) return _table.Refused(send.Worker, send.ChunkId, ChargeOf(problem), $"it cannot be sent to its worker: {problem}", answered: false, Now);
        var run = new RunChunk(send.ChunkId, send.JobType, send.Inputs) { Trace = Traced(send) };
        if (job.Timed)
        {
            // A chunk with a deadline is never held back, nor its answer gathered with slower ones.
            _outgoing.Flush(send.Worker);
            send.Worker.Tell(run);
        }
        else _outgoing.Add(send.Worker, run, bytes);
        return null;
    }

    /// <summary>Why a payload could not cross the wire, as the table charges it: too large for a frame, or not serializable at all.</summary>
    private static Charge ChargeOf(string problem) => WireLimits.IsNotSerializable(problem) ? Charge.NotSerializable : Charge.TooLarge;

    /// <summary>The trace context a chunk goes with: its run's span, started here when its inputs are traced.</summary>
    private System.Diagnostics.ActivityContext Traced(SendChunk<IActorRef> send) =>
        _telemetry.Spans.Sent(send.Trace, send.Worker, send.ChunkId, send.JobId, send.FirstIndex, send.Inputs.Count, send.Tries, _telemetry.PoolTags);
}
