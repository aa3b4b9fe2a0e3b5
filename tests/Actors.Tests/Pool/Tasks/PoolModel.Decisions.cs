using Actors.Protocol;
using Actors.Pool.Tasks;

namespace Actors.Tests.Pool.Tasks;

/// <summary>What the model checks in each decision, and what it keeps of workers and jobs.</summary>
internal sealed partial class PoolModel
{
    private void Apply(IReadOnlyList<TableDecision> decisions)
    {
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case SendChunk<int> send: Received(send); break;
                case DeliverResults results: Delivered(results); break;
                case ReportFailure failure: Reported(failure); break;
                // Cancelling is best effort: the model's workers run and answer the chunk anyway, which the table must take.
                case CancelRun<int> cancel: Require(_sentTo.Contains((cancel.Worker, cancel.ChunkId)), $"chunk {cancel.ChunkId} cancelled at worker {cancel.Worker}, which was never sent it"); break;
                case WorkerOverdue<int> overdue: Require(_sentTo.Contains((overdue.Worker, overdue.ChunkId)), $"worker {overdue.Worker} overdue with chunk {overdue.ChunkId}, which it was never sent"); break;
                default: Require(false, $"a decision the model does not know: {decision}"); break;
            }
        }
    }

    /// <summary>
    /// A chunk goes to a worker that is there, holds consecutive inputs of one open job, is never
    /// sent to the same worker twice, and its inputs were charged no more tries than they ran.
    /// </summary>
    private void Received(SendChunk<int> send)
    {
        Require(_workers.TryGetValue(send.Worker, out var worker) && worker.Alive, $"chunk {send.ChunkId} sent to worker {send.Worker}, which is gone");
        var inputs = (int[])send.Inputs.ToArray();
        Require(inputs.Length > 0, $"chunk {send.ChunkId} is empty");
        var (jobId, first) = Decode(inputs[0]);
        Require(_jobs.TryGetValue(jobId, out var job) && !job.Ended, $"chunk {send.ChunkId} sent for job {jobId}, which is not open");
        Require(send.JobType == job!.Policy.JobType, $"chunk {send.ChunkId} of job {jobId} sent as {send.JobType}");
        Require(inputs.Select((value, i) => value == Value(jobId, first + i)).All(fits => fits),
            $"chunk {send.ChunkId} holds {string.Join(",", inputs)}: not consecutive inputs of one job");
        Require(_sentTo.Add((worker!.Id, send.ChunkId)), $"chunk {send.ChunkId} sent to worker {worker.Id} twice");
        foreach (var index in Enumerable.Range(first, inputs.Length))
        {
            var ran = job.Ran.GetValueOrDefault(index);
            Require(send.Tries <= ran, $"job {jobId} input #{index}: sent again with {send.Tries} tries charged, but ran {ran} times");
        }
        _chunkIds.Add(send.ChunkId);
        worker.Receive(send.ChunkId, inputs);
        Require(worker.Unanswered.Count <= _mostPerWorker, $"worker {worker.Id} holds {worker.Unanswered.Count} runs, more than {_mostPerWorker}");
    }

    /// <summary>Results come once per input, for open jobs, with the job's outputs of the right inputs.</summary>
    private void Delivered(DeliverResults results)
    {
        var job = OpenJob(results.JobId, "results");
        var outputs = (int[])results.Outputs!;
        for (var i = 0; i < outputs.Length; i++)
        {
            var index = results.FirstIndex + i;
            Require(index < job.Values.Count, $"job {job.Id}: a result for input #{index}, never submitted");
            Require(job.Outcomes.TryAdd(index, "a result"), $"job {job.Id} input #{index}: a result after {job.Outcomes[index]}");
            var expected = Output(job.Values[(int)index]);
            Require(outputs[i] == expected, $"job {job.Id} input #{index}: result {outputs[i]}, expected {expected}");
        }
    }

    /// <summary>
    /// A failure comes once per input, for open jobs, names its input, charges no more tries than
    /// the input ran, and fits what happened: the job threw for it, or its tries are spent, or no
    /// worker is left.
    /// </summary>
    private void Reported(ReportFailure failure)
    {
        var job = OpenJob(failure.JobId, "a failure");
        var index = failure.Index;
        Require(index < job.Values.Count, $"job {job.Id}: a failure of input #{index}, never submitted");
        Require(job.Outcomes.TryAdd(index, $"{failure.Error.Type} after {failure.Attempts}"), $"job {job.Id} input #{index}: a failure after {job.Outcomes[index]}");
        Require(failure.Input is int value && value == job.Values[(int)index], $"job {job.Id} input #{index}: reported as {failure.Input}");
        var ran = job.Ran.GetValueOrDefault(index);
        Require(failure.Attempts <= ran, $"job {job.Id} input #{index}: charged {failure.Attempts} tries ({failure.Error.Type}: {failure.Error.Message}) but ran {ran} times");
        var spent = failure.Attempts == job.Policy.MaxAttempts;
        var fits = failure.Error.Type switch
        {
            Threw => job.Threw.Contains(index) && failure.Attempts >= 1 && failure.Attempts <= job.Policy.MaxAttempts,
            TaskTable<int>.WorkerLostError or TaskTable<int>.NoAnswerError => spent,
            "System.TimeoutException" => spent && job.Policy.TaskTimeout is not null,
            nameof(StepKind.NoWorkersLeft) => failure.Attempts < job.Policy.MaxAttempts,
            _ => false,
        };
        Require(fits, $"job {job.Id} input #{index}: {failure.Error.Type} after {failure.Attempts} of {job.Policy.MaxAttempts} tries does not fit what happened");
    }

    private ModelJob OpenJob(long jobId, string what)
    {
        Require(_jobs.TryGetValue(jobId, out var job) && !job.Ended, $"{what} for job {jobId}, which is not open");
        return job!;
    }

    /// <summary>A caller's job as the model knows it.</summary>
    private sealed class ModelJob(long id, JobPolicy policy)
    {
        public long Id { get; } = id;
        public JobPolicy Policy { get; } = policy;
        public bool Ended { get; set; }
        /// <summary>The inputs submitted, by index.</summary>
        public List<int> Values { get; } = new();
        /// <summary>Each input's outcome, in words.</summary>
        public Dictionary<long, string> Outcomes { get; } = new();
        /// <summary>How many times each input ran (see the class remarks).</summary>
        public Dictionary<long, int> Ran { get; } = new();
        /// <summary>Inputs the job threw for at least once.</summary>
        public HashSet<long> Threw { get; } = new();
    }

    /// <summary>A worker: its mailbox, what it started, and how far its answers have reached the table.</summary>
    private sealed class ModelWorker(int id, PoolModel model)
    {
        private long _received;

        public int Id { get; } = id;
        public bool Alive { get; set; } = true;
        /// <summary>Runs received and not yet finished; the first is the one running.</summary>
        public LinkedList<Run> Mailbox { get; } = new();
        /// <summary>Runs received whose answer the table has not had (finished or not), in order.</summary>
        public LinkedList<Run> Unanswered { get; } = new();
        /// <summary>Chunks it started, in order (what its host announces).</summary>
        public List<long> Started { get; } = new();
        /// <summary>The latest run whose answer the table has had.</summary>
        public long AnsweredUpTo { get; private set; }

        public void Receive(long chunk, int[] inputs)
        {
            var run = new Run(chunk, ++_received, inputs);
            Mailbox.AddLast(run);
            Unanswered.AddLast(run);
            if (Mailbox.Count == 1) Start();
        }

        /// <summary>Finishes the running chunk, starts the next, and returns the answer (all outputs; a failure keeps those before its offset).</summary>
        public Answer Finish(Func<int, int> output)
        {
            var run = Mailbox.First!.Value;
            Mailbox.RemoveFirst();
            if (Mailbox.Count > 0) Start();
            return new Answer(Id, run.Chunk, run.Seq, run.Inputs.Select(output).ToArray());
        }

        /// <summary>The table has had the answer for run <paramref name="seq"/>, which tells it about every run before it too.</summary>
        public void Answered(long seq)
        {
            AnsweredUpTo = seq;
            while (Unanswered.First?.Value.Seq <= seq) Unanswered.RemoveFirst();
        }

        /// <summary>
        /// A run waiting behind the first unanswered run of the same inputs has their try running
        /// already (see the class remarks): it counts as run for those inputs.
        /// </summary>
        public void CountWaitingBehindTheirOwnRun()
        {
            if (Unanswered.First?.Value is not { } first) return;
            foreach (var waiting in Mailbox.Skip(1).Where(run => run != first))
            {
                for (var i = 0; i < waiting.Inputs.Length; i++)
                {
                    if (first.Inputs.Contains(waiting.Inputs[i])) Count(waiting, i);
                }
            }
        }

        private void Start()
        {
            var run = Mailbox.First!.Value;
            Started.Add(run.Chunk);
            for (var i = 0; i < run.Inputs.Length; i++) Count(run, i);
        }

        /// <summary>Counts input <paramref name="i"/> of <paramref name="run"/> as run, once per run.</summary>
        private void Count(Run run, int i)
        {
            if (run.Counted[i]) return;
            run.Counted[i] = true;
            var (jobId, index) = Decode(run.Inputs[i]);
            var ran = model._jobs[jobId].Ran;
            ran[index] = ran.GetValueOrDefault(index) + 1;
        }
    }

    /// <summary>One sending of a chunk, as its worker received it; <paramref name="Seq"/> counts the worker's runs.</summary>
    private sealed class Run(long chunk, long seq, int[] inputs)
    {
        public long Chunk { get; } = chunk;
        public long Seq { get; } = seq;
        public int[] Inputs { get; } = inputs;
        /// <summary>Which inputs this run has counted as run.</summary>
        public bool[] Counted { get; } = new bool[inputs.Length];
    }

    /// <summary>A worker's answer for one run; a failure when <paramref name="FailedAt"/> is set; <paramref name="RunTime"/> is how long it said the run took (zero: not measured).</summary>
    private sealed record Answer(int Worker, long Chunk, long Seq, int[] Outputs, int? FailedAt = null, bool Retryable = true, TimeSpan RunTime = default);
}
