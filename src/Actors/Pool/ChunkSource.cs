using Actors.Protocol;

namespace Actors.Pool;

/// <summary>
/// Pulls inputs lazily, one chunk at a time, so a huge map never holds all its inputs. When the
/// input sequence throws, the inputs it gave before are still handed on as a chunk; the exception
/// comes from the next pull (as a faulted task), so those inputs run first (Python's <c>imap</c>).
/// </summary>
internal abstract class ChunkSource<T> : IAsyncDisposable
{
    public abstract ValueTask<ArrayRegion?> NextAsync(int size, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Whether every chunk is a region of the caller's own array rather than a copy.</summary>
    public virtual bool SlicesWithoutCopies => false;

    /// <summary>A list (an array among them) is sliced by index; any other sequence is enumerated.</summary>
    public static ChunkSource<T> From(IEnumerable<T> inputs) =>
        inputs is IList<T> list ? new Slices(list) : new Sync(inputs.GetEnumerator());

    public static ChunkSource<T> From(IAsyncEnumerable<T> inputs, CancellationToken cancellationToken) =>
        new Async(inputs.GetAsyncEnumerator(cancellationToken));

    private sealed class Slices(IList<T> inputs) : ChunkSource<T>
    {
        private int _next;

        public override bool SlicesWithoutCopies => inputs is T[];

        public override ValueTask<ArrayRegion?> NextAsync(int size, CancellationToken cancellationToken)
        {
            var count = Math.Min(size, inputs.Count - _next);
            if (count <= 0) return ValueTask.FromResult<ArrayRegion?>(null);
            ArrayRegion chunk;
            // An array's chunks are regions of it, never copies.
            if (inputs is T[] array) chunk = new ArrayRegion(array, _next, count);
            else
            {
                var copy = new T[count];
                for (var i = 0; i < count; i++) copy[i] = inputs[_next + i];
                chunk = ArrayRegion.Of(copy);
            }
            _next += count;
            return ValueTask.FromResult<ArrayRegion?>(chunk);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Sync(IEnumerator<T> inputs) : ChunkSource<T>
    {
        /// <summary>What the sequence threw after giving the inputs of the last chunk.</summary>
        private Exception? _failed;

        public override ValueTask<ArrayRegion?> NextAsync(int size, CancellationToken cancellationToken)
        {
            if (_failed is not null) return ValueTask.FromException<ArrayRegion?>(_failed);
            var chunk = new ChunkBuilder<T>(size);
            try
            {
                while (!chunk.Full && inputs.MoveNext()) chunk.Add(inputs.Current);
            }
            catch (Exception e)
            {
                _failed = e;
                if (chunk.Count == 0) return ValueTask.FromException<ArrayRegion?>(e);
            }
            return ValueTask.FromResult(chunk.ToRegion());
        }

        public override ValueTask DisposeAsync()
        {
            inputs.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Async(IAsyncEnumerator<T> inputs) : ChunkSource<T>
    {
        private Task<ArrayRegion?>? _reading;
        // A MoveNextAsync still running when the last chunk was handed on.
        private Task<bool>? _moving;
        private bool _ended;
        /// <summary>What the stream threw after giving the inputs of the last chunk.</summary>
        private Exception? _failed;

        public override ValueTask<ArrayRegion?> NextAsync(int size, CancellationToken cancellationToken)
        {
            _reading = ReadAsync(size);
            return new ValueTask<ArrayRegion?>(_reading);
        }

        private async Task<ArrayRegion?> ReadAsync(int size)
        {
            if (_failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failed);
            var chunk = new ChunkBuilder<T>(size);
            while (!chunk.Full && !_ended)
            {
                var moving = _moving ?? inputs.MoveNextAsync().AsTask();
                // A chunk goes when full or when the stream has nothing ready: a live source must
                // not hold back the inputs it has given (it may be waiting for their results).
                if (chunk.Count > 0 && !moving.IsCompleted)
                {
                    _moving = moving;
                    break;
                }
                _moving = null;
                bool more;
                try
                {
                    more = await moving.ConfigureAwait(false);
                }
                catch (Exception e) when (chunk.Count > 0)
                {
                    // The inputs it gave go on; the exception comes with the next chunk.
                    _failed = e;
                    _ended = true;
                    break;
                }
                if (more) chunk.Add(inputs.Current);
                else _ended = true;
            }
            return chunk.ToRegion();
        }

        public override ValueTask DisposeAsync()
        {
            if (_reading is not { IsCompleted: false } && _moving is not { IsCompleted: false }) return inputs.DisposeAsync();
            // The stream is still producing, perhaps waiting for the map that is ending: dispose
            // of it once it has produced, without making the caller wait for that.
            _ = DisposeWhenIdleAsync();
            return ValueTask.CompletedTask;
        }

        private async Task DisposeWhenIdleAsync()
        {
            try
            {
                if (_reading is not null) await _reading.ConfigureAwait(false);
                if (_moving is not null) await _moving.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The map has ended already; what its input stream does now no longer matters.
            }
            await inputs.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Gathers one chunk of a sequence whose length is unknown: its array grows with the inputs
/// actually read, so a huge chunk size over a few inputs allocates for the few.
/// </summary>
internal struct ChunkBuilder<T>(int size)
{
    /// <summary>The first allocation; it doubles from there up to the chunk size.</summary>
    private const int FirstCapacity = 256;

    private T[] _items = new T[Math.Min(size, FirstCapacity)];

    public int Count { get; private set; }

    public readonly bool Full => Count == size;

    public void Add(T item)
    {
        if (Count == _items.Length) Array.Resize(ref _items, (int)Math.Min(size, 2L * _items.Length));
        _items[Count++] = item;
    }

    /// <summary>The inputs read, or null when there were none (the sequence has ended).</summary>
    public readonly ArrayRegion? ToRegion() => Count == 0 ? (ArrayRegion?)null : new ArrayRegion(_items, 0, Count);
}
