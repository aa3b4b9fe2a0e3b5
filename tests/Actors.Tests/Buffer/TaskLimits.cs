using System.Runtime.CompilerServices;

namespace Actors.Tests.Buffer;

/// <summary>Bounded waits that, when they give up, name what they waited for.</summary>
internal static class TaskLimits
{
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan limit, [CallerArgumentExpression(nameof(task))] string what = "")
    {
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for: {what}", e);
        }
    }

    public static async Task Within(this Task task, TimeSpan limit, [CallerArgumentExpression(nameof(task))] string what = "")
    {
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for: {what}", e);
        }
    }
}
