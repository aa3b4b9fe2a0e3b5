namespace Actors.IntegrationTests;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread: <see cref="Progress{T}"/>
/// posts to the thread pool, which would race a spec's asserts.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
