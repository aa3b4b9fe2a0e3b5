using System.Runtime.CompilerServices;

namespace Actors.Buffer;

/// <summary>
/// FIFO ring of items with bulk copy in and out. Not thread-safe: the <see cref="BufferCore{T}"/> that
/// holds it touches it only inside its gate. Storage grows by doubling up to the capacity, so a
/// buffer configured large but used lightly stays small.
/// </summary>
internal sealed class ItemRing<T>
{
    /// <summary>The slots; the items are the <see cref="Count"/> slots from <see cref="_head"/>, wrapping.</summary>
    private T[] _slots;

    /// <summary>Index of the oldest item.</summary>
    private int _head;

    public ItemRing(int capacity)
    {
        Capacity = capacity;
        _slots = new T[Math.Min(capacity, 64)];
    }

    /// <summary>Most items the ring may hold.</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    /// <summary>Items appended over the ring's life (the buffer's puts, however they came).</summary>
    public long Appended { get; private set; }

    /// <summary>Items removed over the ring's life (the buffer's takes, however they went); dropped items are not counted.</summary>
    public long Removed { get; private set; }

    /// <summary>Appends <paramref name="count"/> items of <paramref name="source"/> from <paramref name="offset"/>.</summary>
    public void Append(IReadOnlyList<T> source, int offset, int count)
    {
        EnsureStorage(Count + count);
        var tail = (_head + Count) % _slots.Length;
        var first = Math.Min(count, _slots.Length - tail);
        switch (source)
        {
            case T[] array:
                Array.Copy(array, offset, _slots, tail, first);
                Array.Copy(array, offset + first, _slots, 0, count - first);
                break;
            case ArraySegment<T> segment:
                Array.Copy(segment.Array!, segment.Offset + offset, _slots, tail, first);
                Array.Copy(segment.Array!, segment.Offset + offset + first, _slots, 0, count - first);
                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    _slots[(tail + i) % _slots.Length] = source[offset + i];
                }

                break;
        }

        Count += count;
        Appended += count;
    }

    /// <summary>Appends one item.</summary>
    public void AppendOne(T item)
    {
        EnsureStorage(Count + 1);
        var tail = _head + Count;
        _slots[tail < _slots.Length ? tail : tail - _slots.Length] = item;
        Count++;
        Appended++;
    }

    /// <summary>The oldest item, left in place; the ring must not be empty.</summary>
    public T PeekFirst() => _slots[_head];

    /// <summary>Removes the oldest item and returns it; the ring must not be empty.</summary>
    public T RemoveFirst()
    {
        var item = _slots[_head];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _slots[_head] = default!;
        }

        _head = _head + 1 == _slots.Length ? 0 : _head + 1;
        Removed++;
        if (--Count == 0)
        {
            _head = 0;
        }

        return item;
    }

    /// <summary>Drops every item.</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        _head = 0;
        Count = 0;
    }

    /// <summary>Removes the <paramref name="count"/> oldest items and returns them, oldest first.</summary>
    public T[] Remove(int count)
    {
        var result = new T[count];
        var first = Math.Min(count, _slots.Length - _head);
        Array.Copy(_slots, _head, result, 0, first);
        Array.Copy(_slots, 0, result, first, count - first);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_slots, _head, first);
            Array.Clear(_slots, 0, count - first);
        }

        _head = (_head + count) % _slots.Length;
        Count -= count;
        Removed += count;
        if (Count == 0)
        {
            _head = 0;
        }

        return result;
    }

    /// <summary>A copy of the items, oldest first.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        var first = Math.Min(Count, _slots.Length - _head);
        Array.Copy(_slots, _head, result, 0, first);
        Array.Copy(_slots, 0, result, first, Count - first);
        return result;
    }

    private void EnsureStorage(int needed)
    {
        if (needed <= _slots.Length)
        {
            return;
        }

        var size = _slots.Length;
        while (size < needed)
        {
            size = (int)Math.Min((long)size * 2, Math.Max(Capacity, needed));
        }

        var grown = new T[size];
        var first = Math.Min(Count, _slots.Length - _head);
        Array.Copy(_slots, _head, grown, 0, first);
        Array.Copy(_slots, 0, grown, first, Count - first);
        _slots = grown;
        _head = 0;
    }
}
