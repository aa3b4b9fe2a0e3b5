using System.CommandLine;
using Actors.Configuration;
using Actors.Workers;

namespace Actors.Cli.Commands;

/// <summary>Exit codes and the handling every command shares: usage errors and bad configuration exit 2, without a stack trace.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || parsed.CommandResult.Command == root && !IsHelpOrVersion(args))
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            if (parsed.Errors.Count == 0) await Console.Error.WriteLineAsync("error: a command is required.");
            await Console.Error.WriteLineAsync();
            await root.Parse([.. CommandPath(parsed, root), "--help"]).InvokeAsync(new InvocationConfiguration { Output = Console.Error });
            return Usage;
        }
        // Ctrl+C and SIGTERM cancel the command's token: it stops taking work, hands back what is in
        // flight, stops its worker processes and exits 0. A second one ends the process at once (130 or 143).
        using var signals = new StopSignals(Console.Error);
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parsed.InvokeAsync(configuration, signals.Token);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}");
            return Usage;
        }
    }

    /// <summary>The names from the root to the command that was parsed, for printing that command's usage.</summary>
    private static List<string> CommandPath(ParseResult parsed, RootCommand root)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Command != root; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
            names.Insert(0, result.Command.Name);
        return names;
    }

    private static bool IsHelpOrVersion(string[] args) =>
        args.Any(arg => arg is "--help" or "-h" or "-?" or "--version");
}
