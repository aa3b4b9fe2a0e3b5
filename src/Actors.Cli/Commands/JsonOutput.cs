namespace Actors.Cli.Commands;

/// <summary>
/// With <c>--json</c>, standard output carries exactly one JSON document, for scripts to parse.
/// Everything else the process prints goes to standard error, including what Akka writes to the
/// console's standard output itself (its own logger, before the configured loggers start and after
/// they stop, e.g. a remote peer disassociating during shutdown).
/// </summary>
internal static class JsonOutput
{
    private static TextWriter? _document;

    /// <summary>Keeps standard output for the document; from now on the console's output goes to standard error.</summary>
    public static void Reserve()
    {
        if (_document is not null) return;
        _document = Console.Out;
        Console.SetOut(Console.Error);
    }

    /// <summary>Writes the document and a newline to standard output.</summary>
    public static void Write(string json)
    {
        var output = _document ?? Console.Out;
        output.WriteLine(json);
        output.Flush();
    }
}
