namespace Actors.Protocol;

/// <summary>
/// A contiguous part of a typed array: a chunk's inputs (or the place its outputs go) without
/// copying them out of the caller's array. Sliced for free; copied only where a new array is
/// needed, which on the wire the serializer does itself, writing just the region.
/// </summary>
internal readonly record struct ArrayRegion(Array Array, int Offset, int Count)
{
    /// <summary>The whole of <paramref name="array"/>.</summary>
    public static ArrayRegion Of(Array array) => new(array, 0, array.Length);

    /// <summary>The whole of <paramref name="array"/>.</summary>
    public static implicit operator ArrayRegion(Array array) => Of(array);

    public Type ElementType => Array.GetType().GetElementType()!;

    /// <summary>The value at <paramref name="index"/> of the region.</summary>
    public object? this[int index] => Array.GetValue(Offset + index);

    public ArrayRegion Slice(int start, int length) => new(Array, Offset + start, length);

    /// <summary>The region as an array of its own: the array itself when the region is all of it.</summary>
    public Array ToArray()
    {
        if (Offset == 0 && Count == Array.Length) return Array;
        var copy = Array.CreateInstance(ElementType, Count);
        Array.Copy(Array, Offset, copy, 0, Count);
        return copy;
    }
}
