using Actors.Configuration;
using Akka.Configuration;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// The base of the pool specs: the library defaults, plus <c>serialize-messages = on</c> so that
/// every message goes through its serializer as if it crossed a process boundary.
/// </summary>
public abstract class PoolSpec(string hocon, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(hocon).WithFallback(Common), output: output)
{
    // Not allow-unregistered-types = false: Akka's own local router messages (GetRoutees, Resize)
    // have no binding and would fail verification. PoolSerializationSpecs checks the pool's bindings.
    private static readonly Config Common = ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
        .WithFallback(ActorsConfig.Defaults);

    /// <summary>How long a spec waits for an outcome before it gives up: generous, as the machine is shared.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected static long[] Longs(int count) => Enumerable.Range(0, count).Select(i => (long)i).ToArray();

    protected static long[] Squares(int count) => Enumerable.Range(0, count).Select(i => (long)i * i).ToArray();

    /// <summary>0 … <paramref name="count"/>-1 as an async stream that yields to the scheduler now and then.</summary>
    protected static async IAsyncEnumerable<long> AsyncInputs(int count)
    {
        for (long i = 0; i < count; i++)
        {
            if (i % 16 == 0) await Task.Yield();
            yield return i;
        }
    }

    /// <summary>A token that fires after <see cref="Patience"/>: a bound for an <c>await foreach</c>.</summary>
    protected static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;
}
