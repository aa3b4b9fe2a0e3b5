using Actors.Pool.Tasks;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table when messages go missing or cannot be sent: silent workers are probed, chunks
/// that cannot cross the wire are split, and an ended job's running chunks are cancelled.
/// </summary>
public sealed class TaskTableWireSpecs
{
    [Fact]
    public void Table_must_probe_a_worker_that_owes_answers_and_has_been_silent_for_the_probe_interval()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(), 1);

        table.Now = ProbeAfter - Seconds(1);
        Assert.Empty(table.Probe());
        table.Now = ProbeAfter;
        // w2 owes nothing, so it is not probed however long it has been silent; w1 once, until it answers.
        Assert.Equal(["probe 1 to w1"], table.Probe());
        table.Now += ProbeAfter;
        Assert.Empty(table.Probe());
    }

    [Fact]
    public void Table_must_charge_what_a_probed_worker_never_answered_before_the_probe()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.Now = ProbeAfter;
        table.Probe();

        // The chunk's answer was lost: once the worker answers the probe, it is retried alone.
        Assert.Equal(["send 2 to w1: 1 (charged 1)"], table.Probed("w1", 1));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w1", 2));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 2, Queued: 0, Jobs: 1, Retries: 1), table.Table.Counts);
    }

    [Fact]
    public void Table_must_charge_nothing_when_a_probed_worker_has_answered_everything_before_the_probe()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.Now = ProbeAfter;
        table.Probe();
        table.Complete("w1", 1);

        Assert.Empty(table.Probed("w1", 1));
        Assert.Empty(table.Probed("w1", 1)); // an answer to a probe it no longer waits for changes nothing
    }

    [Fact]
    public void Table_must_not_probe_a_worker_that_was_idle_and_has_just_been_given_work()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.Now = Seconds(60);
        table.StartJob(1, Policy(), 1);

        Assert.Empty(table.Probe());
    }

    [Fact]
    public void Table_must_split_a_chunk_withheld_as_too_large_and_send_its_halves_uncharged()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1, 2, 3, 4);

        Assert.Equal(["send 2 to w1: 1,2", "send 3 to w1: 3,4"], table.Refused("w1", 1, answered: false));
    }

    [Fact]
    public void Table_must_take_only_the_withheld_run_off_the_lane_and_leave_the_earlier_ones_owed()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.Submit(1, 1, 2, 3);

        Assert.Equal(["send 3 to w1: 2"], table.Refused("w1", 2, answered: false));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242", "send 4 to w1: 3"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_report_a_single_input_that_cannot_cross_the_wire_without_retrying_it()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 7);

        Assert.Equal(["fail job 1 #0 (7) after 1: TooLarge: input #0: too large"], table.Refused("w1", 1, answered: true));
        Assert.Equal(0, table.Table.Counts.Retries);
    }

    [Fact]
    public void Table_must_report_an_input_the_serializer_cannot_write_as_such_and_not_as_too_large()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 7);

        Assert.Equal(["fail job 1 #0 (7) after 1: NotSerializable: input #0: JsonException: bad"],
            table.Refused("w1", 1, answered: true, Charge.NotSerializable, "JsonException: bad"));
    }

    [Fact]
    public void Table_must_cancel_an_ended_jobs_running_chunks_at_their_workers()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(), 1);
        table.StartJob(2, Policy());
        table.Submit(2, 0, 2);

        Assert.Equal(["cancel 1 at w1"], table.EndJob(1));
        // The cancelled chunk's answer still frees its worker.
        Assert.Empty(table.Failed("w1", 1, 0, []));
        Assert.Equal(new TableCounts(Workers: 2, InFlight: 1, MaxInFlight: 2, Queued: 0, Jobs: 1, Retries: 0), table.Table.Counts);
    }
}
