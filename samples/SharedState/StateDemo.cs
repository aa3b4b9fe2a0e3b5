using Akka.Actor;
using SharedState.Barriers;
using SharedState.Replication;
using SharedState.Conditions;
using SharedState.Events;
using SharedState.Locks;
using SharedState.Processes;
using SharedState.Queues;
using SharedState.Reentrancy;
using SharedState.Semaphores;

namespace SharedState;

/// <summary>
/// Course question 5, row by row: each primitive for sharing data between threads and processes, its
/// actor answer run, and what it produced. Used by this sample's program and by <c>actors demo state</c>.
/// </summary>
public static class StateDemo
{
    private sealed record Row(string Title, Func<ActorSystem, SharedStateSettings, CancellationToken, Task<IEnumerable<string>>> Run);

    private static readonly Row[] Rows =
    [
        new("Lock -> an actor owns the state", async (s, o, ct) => (await LockRow.RunAsync(s, o, ct)).Describe()),
        new("RLock -> one message at a time (re-entrancy is a non-question)", async (s, o, ct) => (await ReentrancyRow.RunAsync(s, o, ct)).Describe()),
        new("Semaphore(3) -> a pool of 3 workers", async (s, o, ct) => (await SemaphoreRow.RunAsync(s, o, ct)).Describe()),
        new("Condition -> Stash until the state allows (see also the bounded buffer)", async (s, o, ct) => (await ConditionRow.RunAsync(s, o, ct)).Describe()),
        new("Event -> a latch actor that remembers it is set", async (s, o, ct) => (await EventRow.RunAsync(s, o, ct)).Describe()),
        new("Barrier -> N parties proceed together", async (s, o, ct) => (await BarrierRow.RunAsync(s, o, ct)).Describe()),
        new("Queue -> the bounded buffer actor", async (s, o, ct) => (await QueueRow.RunAsync(s, o, ct)).Describe()),
        new("Value/Array/Manager, Pipe -> an actor owns the value; other OS processes hold its reference", async (_, o, ct) => (await ProcessesRow.RunAsync(o, ct)).Describe()),
        new("across cluster nodes -> Akka.DistributedData (GCounter, LWWDictionary)", async (_, o, ct) => (await ClusterRow.RunAsync(o, ct)).Describe()),
    ];

    /// <summary>Runs every row on <paramref name="system"/> (and the processes and nodes the last rows start), printing each result.</summary>
    /// <returns>How many rows failed; each failure is printed in its place.</returns>
    public static async Task<int> RunAsync(ActorSystem system, TextWriter output, CancellationToken ct = default)
    {
        var settings = SharedStateSettings.Create(system.Settings.Config);
        await output.WriteLineAsync("== Question 5: sharing data between threads and processes, without locks");
        var failures = 0;
        foreach (var row in Rows)
        {
            await output.WriteLineAsync($"-- {row.Title}");
            try
            {
                foreach (var line in await row.Run(system, settings, ct)) await output.WriteLineAsync($"   {line}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failures++;
                await output.WriteLineAsync($"   FAILED: {e.GetType().Name}: {e.Message}");
            }
        }
        return failures;
    }
}
