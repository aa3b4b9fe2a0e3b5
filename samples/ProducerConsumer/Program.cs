// The course's question 4 with actors: a producer adds 0..9 every 100 ms, a consumer removes one
// every 150 ms, and the buffer actor that owns the list reports each change. No lock anywhere.
using ProducerConsumer;
using Akka.Actor;
using Akka.Configuration;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var system = ActorSystem.Create("producer-consumer", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
try
{
    await ProducerConsumerScenario.RunAsync(system, Console.Out, new ProducerConsumerOptions(), cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Stopped.");
}
finally
{
    await system.Terminate();
}
