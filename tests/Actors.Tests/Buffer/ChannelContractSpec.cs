using System.Threading.Channels;
using Actors.Buffer;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>
/// What the channel contract specs share: the two factories every case runs against — .NET's own
/// bounded channel in mode <c>Wait</c>, the reference, and the faces of a <see cref="BoundedBuffer{T}"/> —
/// so that every difference between them shows as a failing case.
/// </summary>
public abstract class ChannelContractSpec : TestKit
{
    /// <summary>The reference: <c>Channel.CreateBounded</c> with <see cref="BoundedChannelFullMode.Wait"/>.</summary>
    public const string RuntimeChannel = "Channel.CreateBounded";

    /// <summary>The subject: <see cref="BoundedBuffer{T}.Writer"/> and <see cref="BoundedBuffer{T}.Reader"/>.</summary>
    public const string BufferFaces = "BoundedBuffer faces";

    protected static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    /// <summary>Both factories, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Factories => new() { RuntimeChannel, BufferFaces };

    /// <summary>A fresh channel of <paramref name="capacity"/> from the factory named <paramref name="factory"/>.</summary>
    protected (ChannelWriter<int> Writer, ChannelReader<int> Reader) Create(string factory, int capacity)
    {
        switch (factory)
        {
            case RuntimeChannel:
                var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
                return (channel.Writer, channel.Reader);
            case BufferFaces:
                var buffer = BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });
                return (buffer.Writer, buffer.Reader);
            default:
                throw new ArgumentOutOfRangeException(nameof(factory), factory, "no such factory");
        }
    }

    /// <summary>Every item left, read with <c>TryRead</c> alone (no wait).</summary>
    protected static List<int> DrainNow(ChannelReader<int> reader)
    {
        var items = new List<int>();
        while (reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>Awaits a task that must fail, bounded, and returns its exception.</summary>
    protected static async Task<Exception> FailureOf(Task task)
    {
        var outcome = await Record.ExceptionAsync(() => task.WaitAsync(Long));
        Assert.NotNull(outcome);
        Assert.IsNotType<TimeoutException>(outcome);
        return outcome;
    }
}
