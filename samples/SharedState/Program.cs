// Course question 5 with actors: every primitive for sharing data, answered and run. With
// `client ...` arguments this program is instead one of the client processes of the
// cross-process row (the owner starts them).
using Akka.Actor;
using Akka.Configuration;
using SharedState;
using SharedState.Processes;

if (args is ["client", .. var clientArgs]) return await CounterClient.RunAsync(clientArgs, Console.In, Console.Out, Console.Error);
if (args.Length > 0)
{
    Console.Error.WriteLine($"usage: SharedState        runs every row\n       {CounterClient.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var config = ConfigurationFactory.ParseString("akka { loglevel = WARNING, stdout-loglevel = WARNING, log-dead-letters = off }")
    .WithFallback(SharedStateSettings.Defaults);
var system = ActorSystem.Create("shared-state", config);
try
{
    return await StateDemo.RunAsync(system, Console.Out, cancel.Token) == 0 ? 0 : 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Stopped.");
    return 0;
}
finally
{
    await system.Terminate();
}
