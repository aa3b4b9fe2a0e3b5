using Actors.Buffer;
using static Actors.Buffer.BufferProtocol;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>What the buffer actor's specs share: a quiet period to prove nothing happens, numbers to put, a snapshot.</summary>
public abstract class BufferActorSpec : TestKit
{
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    protected static List<int> Numbers(int start, int count) => [.. Enumerable.Range(start, count)];

    protected Task<BufferSnapshot<int>> SnapshotAsync(IActorRef buffer) => SnapshotAsync<int>(buffer);

    protected async Task<BufferSnapshot<T>> SnapshotAsync<T>(IActorRef buffer)
    {
        var probe = CreateTestProbe();
        buffer.Tell(GetSnapshot.Instance, probe);
        return await probe.ExpectMsgAsync<BufferSnapshot<T>>();
    }
}
