using Actors.Buffer;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using static Actors.Buffer.BufferProtocol;

namespace Actors.Tests.Buffer;

/// <summary>
/// The typed face's own methods on completion: an error given to <see cref="BoundedBuffer{T}.Complete"/>
/// reaches puts and takes (after the items), and completion reaches <c>Completion</c> whichever way
/// it came, also while an actor still fills the slots it reserved.
/// </summary>
public sealed class BoundedBufferCompletionSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bounded_buffer_must_hand_the_error_it_was_completed_with_to_puts_and_takes_after_the_items()
    {
        var buffer = Create(capacity: 4);
        var fault = new IOException("the source broke");
        await buffer.PutAsync(1);

        buffer.Complete(fault);

        var put = await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.PutAsync(2).AsTask().WaitAsync(Long));
        Assert.Same(fault, put.InnerException);
        Assert.Equal(1, await buffer.TakeAsync().AsTask().WaitAsync(Long));
        var take = await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.TakeAsync().AsTask().WaitAsync(Long));
        Assert.Same(fault, take.InnerException);
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => buffer.Reader.Completion.WaitAsync(Long)));
    }

    [Fact]
    public async Task Bounded_buffer_must_fail_a_waiting_take_with_the_error_it_was_completed_with()
    {
        var buffer = Create(capacity: 4);
        var fault = new IOException("the source broke");
        var waiting = buffer.TakeAsync().AsTask();

        buffer.Complete(fault);

        var take = await Assert.ThrowsAsync<BufferCompletedException>(() => waiting.WaitAsync(Long));
        Assert.Same(fault, take.InnerException);
    }

    [Fact]
    public async Task Bounded_buffer_must_end_cleanly_after_its_producers_are_done()
    {
        var buffer = BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = 4 }, producers: 2);
        await buffer.PutAsync(1);
        buffer.ProducerDone();
        Assert.False(buffer.Reader.Completion.IsCompleted);
        buffer.Ref.Tell(ProducerDone.Instance);

        Assert.Equal(1, await buffer.TakeAsync().AsTask().WaitAsync(Long));
        var take = await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.TakeAsync().AsTask().WaitAsync(Long));
        Assert.Null(take.InnerException);
        await buffer.Reader.Completion.WaitAsync(Long);
    }

    [Fact]
    public async Task Bounded_buffer_must_complete_its_reader_when_an_actor_completes_it()
    {
        var buffer = Create(capacity: 4);

        buffer.Ref.Tell(Complete.Instance);

        await buffer.Reader.Completion.WaitAsync(Long);
        Assert.False(buffer.Writer.TryWrite(1));
    }

    [Fact]
    public async Task Bounded_buffer_must_wait_for_an_actors_reserved_slots_before_its_reader_completes()
    {
        var buffer = Create(capacity: 4);
        var producer = CreateTestProbe();
        buffer.Ref.Tell(new Reserve(2), producer);
        await producer.ExpectMsgAsync(new Reserved(2));

        buffer.Complete();
        await producer.ExpectMsgAsync<Completing>();
        Assert.False(buffer.Reader.Completion.IsCompleted, "the reader completed while an actor still held reserved slots");
        buffer.Ref.Tell(new PutBatch<int>([7, 8]), producer);
        await producer.ExpectMsgAsync(new Accepted(2));

        Assert.Equal(7, await buffer.TakeAsync().AsTask().WaitAsync(Long));
        Assert.Equal(8, await buffer.TakeAsync().AsTask().WaitAsync(Long));
        await buffer.Reader.Completion.WaitAsync(Long);
    }

    private BoundedBuffer<int> Create(int capacity) =>
        BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });
}
