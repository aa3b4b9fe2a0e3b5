// The course's pool questions, answered by an actor system embedded in an ordinary console program.
using Actors.Configuration;
using Actors.Pool;
using Akka.Actor;
using Akka.Configuration;
using WorkerPoolSample;

// The library's defaults, plus a router for the user-defined job's pool: where a pool's workers
// live and how work is spread among them is configuration, keyed by the pool's name.
var config = ConfigurationFactory.ParseString("""
    akka {
      loglevel = WARNING
      stdout-loglevel = WARNING
      log-dead-letters = off
      actor.deployment./collatz {
        router = round-robin-pool
        nr-of-instances = 4
      }
    }
    """).WithFallback(ActorsConfig.Defaults);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var system = ActorSystem.Create("worker-pool-sample", config);
try
{
    Console.WriteLine("Question 2: Pool(processes=4).map(square, range(10))");
    await CoursePoolQuestions.RunSquaresAsync(system, Console.Out, cancel.Token);

    Console.WriteLine();
    Console.WriteLine("Question 3: four workers, each computing sum(range(1000000))");
    await CoursePoolQuestions.RunSumRangeAsync(system, Console.Out, cancel.Token);

    Console.WriteLine();
    Console.WriteLine("Question 1: I/O-bound work overlaps on many workers");
    await CoursePoolQuestions.RunSleepAsync(system, Console.Out, cancel.Token);

    Console.WriteLine();
    Console.WriteLine("Your own job: Collatz steps of 1..99999 on the configured /collatz pool");
    await using (var pool = WorkerPool.Create(system, "collatz"))
    {
        var inputs = Enumerable.Range(1, 99_999).Select(n => (long)n);
        var steps = await pool.MapAsync(new CollatzJob(), inputs, cancellationToken: cancel.Token);
        var longest = Array.IndexOf(steps, steps.Max());
        Console.WriteLine($"longest chain starts at {longest + 1}: {steps[longest]} steps");
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("cancelled");
}
finally
{
    await system.Terminate();
}
