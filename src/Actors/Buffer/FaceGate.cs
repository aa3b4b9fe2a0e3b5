namespace Actors.Buffer;

/// <summary>
/// Guards a <see cref="BufferCore{T}"/> for the few instructions one step needs: a spin gate, held
/// briefly and never across a wait. It tracks no owner: <see cref="Lock"/> finds its owner through
/// thread-local storage, which cost about a quarter of the faces' time in profiles of the
/// item-by-item benchmark (of the earlier, batching faces).
/// </summary>
internal sealed class FaceGate
{
    /// <summary>1 while someone is inside.</summary>
    private int _held;

    /// <summary>Enters; dispose the scope to leave. A gate held elsewhere is awaited by spinning, then yielding.</summary>
    public Scope Hold()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            Contend();
        }

        return new Scope(this);
    }

    private void Contend()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce();
        }
        while (Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    /// <summary>Inside the gate until disposed.</summary>
    public readonly ref struct Scope(FaceGate gate)
    {
        public void Dispose() => Volatile.Write(ref gate._held, 0);
    }
}
