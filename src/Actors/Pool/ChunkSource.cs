namespace Actors.Pool;

/// <summary>Pulls inputs lazily, one chunk at a time, so a huge map never holds all its inputs.</summary>
internal abstract class ChunkSource<T> : IAsyncDisposable
{
    public abstract ValueTask<T[]?> NextAsync(int size, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static ChunkSource<T> From(IEnumerable<T> inputs) => new Sync(inputs.GetEnumerator());

    public static ChunkSource<T> From(IAsyncEnumerable<T> inputs, CancellationToken cancellationToken) =>
        new Async(inputs.GetAsyncEnumerator(cancellationToken));

    private sealed class Sync(IEnumerator<T> inputs) : ChunkSource<T>
    {
        public override ValueTask<T[]?> NextAsync(int size, CancellationToken cancellationToken)
        {
            var chunk = new T[size];
            var count = 0;
            while (count < size && inputs.MoveNext()) chunk[count++] = inputs.Current;
            return ValueTask.FromResult(count == 0 ? null : count == size ? chunk : chunk[..count]);
        }

        public override ValueTask DisposeAsync()
        {
            inputs.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Async(IAsyncEnumerator<T> inputs) : ChunkSource<T>
    {
        public override async ValueTask<T[]?> NextAsync(int size, CancellationToken cancellationToken)
        {
            var chunk = new T[size];
            var count = 0;
            while (count < size && await inputs.MoveNextAsync().ConfigureAwait(false)) chunk[count++] = inputs.Current;
            return count == 0 ? null : count == size ? chunk : chunk[..count];
        }

        public override ValueTask DisposeAsync() => inputs.DisposeAsync();
    }
}
