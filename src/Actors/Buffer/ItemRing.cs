namespace Actors.Buffer;

/// <summary>
/// FIFO ring of items with bulk copy in and out. Owned by one <see cref="BufferActor"/> and never
/// shared, so it needs no synchronisation. Storage grows by doubling up to the capacity, so a
/// buffer configured large but used lightly stays small.
/// </summary>
internal sealed class ItemRing
{
    private object?[] _slots;
    private int _head;

    public ItemRing(int capacity)
    {
        Capacity = capacity;
        _slots = new object?[Math.Min(capacity, 64)];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public int Free => Capacity - Count;

    /// <summary>Appends <paramref name="count"/> items of <paramref name="source"/> from <paramref name="offset"/>.</summary>
    public void Append(IReadOnlyList<object> source, int offset, int count)
    {
        EnsureStorage(Count + count);
        var tail = (_head + Count) % _slots.Length;
        if (source is object[] array)
        {
            var first = Math.Min(count, _slots.Length - tail);
            Array.Copy(array, offset, _slots, tail, first);
            Array.Copy(array, offset + first, _slots, 0, count - first);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                _slots[(tail + i) % _slots.Length] = source[offset + i];
            }
        }

        Count += count;
    }

    /// <summary>Removes the <paramref name="count"/> oldest items and returns them, oldest first.</summary>
    public object[] Remove(int count)
    {
        var result = new object[count];
        var first = Math.Min(count, _slots.Length - _head);
        Array.Copy(_slots, _head, result, 0, first);
        Array.Clear(_slots, _head, first);
        Array.Copy(_slots, 0, result, first, count - first);
        Array.Clear(_slots, 0, count - first);
        _head = (_head + count) % _slots.Length;
        Count -= count;
        if (Count == 0)
        {
            _head = 0;
        }

        return result;
    }

    /// <summary>A copy of the items, oldest first.</summary>
    public object[] ToArray()
    {
        var result = new object[Count];
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
            size = (int)Math.Min((long)size * 2, Capacity);
        }

        var grown = new object?[size];
        var first = Math.Min(Count, _slots.Length - _head);
        Array.Copy(_slots, _head, grown, 0, first);
        Array.Copy(_slots, 0, grown, first, Count - first);
        _slots = grown;
        _head = 0;
    }
}
