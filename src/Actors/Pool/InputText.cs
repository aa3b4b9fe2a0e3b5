namespace Actors.Pool;

/// <summary>How a failed input is shown to the caller (in <see cref="InputFailed"/> and the messages built from it).</summary>
internal static class InputText
{
    /// <summary>The failed input as the caller will read it; an input whose ToString throws must not take the manager down.</summary>
    public static string Describe(object? input)
    {
        try
        {
            return input switch
            {
                null => "null",
                string text => $"\"{text}\"",
                _ => input.ToString() ?? input.GetType().Name,
            };
        }
        catch (Exception e)
        {
            return $"a {input!.GetType().Name} whose ToString threw {e.GetType().Name}";
        }
    }
}
