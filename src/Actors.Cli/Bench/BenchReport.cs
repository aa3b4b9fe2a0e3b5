using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Actors.Cli.Bench;

/// <summary>
/// Prints one-figure-per-competitor results side by side: a plain-text table with each
/// competitor's ratio to a baseline from the same run, or a JSON array for tools. Used by
/// <c>bench pool</c> and <c>bench processes</c> until they move onto <see cref="BenchHarness"/>,
/// whose <see cref="BenchOutcome"/> prints its own tables and JSON.
/// </summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keeps "Queue<int>" readable; the output is never embedded in HTML
    };

    /// <summary>Writes a table: name, items, seconds, items/s and the ratio to <paramref name="baseline"/>.</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="title">First line, followed by the core count of this machine.</param>
    /// <param name="results">The competitors, in the order to show them.</param>
    /// <param name="baseline">Name of the result the ratios divide by; no ratio column when it is absent.</param>
    public static void WriteTable(TextWriter output, string title, IReadOnlyList<BenchResult> results, string? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        var reference = results.FirstOrDefault(r => r.Name == baseline);
        var header = new List<string> { "competitor", "items", "seconds", "items/s" };
        if (reference is not null)
        {
            header.Add($"vs {reference.Name}");
        }

        var rows = results.Select(r =>
        {
            var row = new List<string> { r.Name, Number(r.Items), Fixed(r.Seconds, 3), Number(r.ItemsPerSecond) };
            if (reference is not null)
            {
                row.Add(reference.ItemsPerSecond > 0 ? Fixed(r.ItemsPerSecond / reference.ItemsPerSecond, 2) + "x" : "-");
            }

            return row;
        }).ToList();

        var widths = header.Select((h, i) => rows.Select(row => row[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{title} ({Environment.ProcessorCount} cores, .NET {Environment.Version})"));
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>The results as a JSON array of <c>{"name","items","seconds","itemsPerSecond"}</c>.</summary>
    public static string ToJson(IReadOnlyList<BenchResult> results) => JsonSerializer.Serialize(results, JsonOptions);

    // The name column is left-aligned, the figures right-aligned.
    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
