using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Actors.Cli.Bench;

/// <summary>One competitor's figures over the counted rounds.</summary>
/// <param name="Group">The title of its group.</param>
/// <param name="Name">The competitor.</param>
/// <param name="Baseline">The competitor of its group that <see cref="Ratio"/> divides by.</param>
/// <param name="Items">Items per run.</param>
/// <param name="MinSeconds">The fastest run.</param>
/// <param name="MedianSeconds">The median run.</param>
/// <param name="BestItemsPerSecond">Throughput of the fastest run.</param>
/// <param name="MedianItemsPerSecond">Throughput of the median run.</param>
/// <param name="Ratio">Median throughput divided by the baseline's median throughput.</param>
/// <param name="Seconds">Every counted run, in round order.</param>
public sealed record BenchRow(
    string Group,
    string Name,
    string Baseline,
    long Items,
    double MinSeconds,
    double MedianSeconds,
    double BestItemsPerSecond,
    double MedianItemsPerSecond,
    double Ratio,
    IReadOnlyList<double> Seconds)
{
    /// <summary>The row of <paramref name="competitor"/> given its runs and its group's baseline throughput.</summary>
    public static BenchRow From(BenchGroup group, BenchCompetitor competitor, IReadOnlyList<double> seconds, double baselineItemsPerSecond)
    {
        var min = seconds.Min();
        var median = BenchHarness.Median([.. seconds]);
        return new BenchRow(
            group.Title,
            competitor.Name,
            group.Baseline,
            competitor.Items,
            min,
            median,
            competitor.Items / min,
            competitor.Items / median,
            competitor.Items / median / baselineItemsPerSecond,
            seconds);
    }
}

/// <summary>
/// What a harness run measured: the environment header, the notes, and one row per competitor.
/// Printed as a text table per group or as one JSON object with the same fields.
/// </summary>
/// <param name="Benchmark">The benchmark's name.</param>
/// <param name="Title">What it measures.</param>
/// <param name="Environment">Machine, build and date.</param>
/// <param name="Rounds">Counted rounds (after one warm-up round).</param>
/// <param name="Notes">Lines printed under the header.</param>
/// <param name="Rows">The competitors' figures, group by group.</param>
public sealed record BenchOutcome(
    string Benchmark,
    string Title,
    BenchEnvironment Environment,
    int Rounds,
    IReadOnlyList<string> Notes,
    IReadOnlyList<BenchRow> Rows)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keeps "Channel<int>" readable; the output is never embedded in HTML
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The row of the competitor named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public BenchRow? Find(string name) => Rows.FirstOrDefault(row => row.Name == name);

    /// <summary>The outcome as indented JSON: every field of the header and of every row.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the header, the notes and one table per group.</summary>
    public void WriteTable(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(Title);
        foreach (var line in Environment.Describe())
        {
            output.WriteLine(line);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds:  {Rounds} counted after 1 warm-up (each competitor repeated for at least a second), competitors interleaved, order rotated each round; min and median per competitor"));
        foreach (var note in Notes)
        {
            output.WriteLine($"note:    {note}");
        }

        foreach (var group in Rows.GroupBy(row => row.Group))
        {
            output.WriteLine();
            output.WriteLine($"{group.Key} (ratios: median items/s vs {group.First().Baseline})");
            WriteGroup(output, [.. group]);
        }
    }

    private static void WriteGroup(TextWriter output, IReadOnlyList<BenchRow> rows)
    {
        var header = new[] { "competitor", "items", "min s", "median s", "best items/s", "median items/s", "ratio" };
        var cells = rows.Select(row => new[]
        {
            row.Name,
            row.Items.ToString("N0", CultureInfo.InvariantCulture),
            row.MinSeconds.ToString("0.0000", CultureInfo.InvariantCulture),
            row.MedianSeconds.ToString("0.0000", CultureInfo.InvariantCulture),
            Rate(row.BestItemsPerSecond),
            Rate(row.MedianItemsPerSecond),
            row.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x",
        }).ToList();
        var widths = header.Select((title, i) => cells.Select(row => row[i].Length).Append(title.Length).Max()).ToArray();
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    // Events that take seconds (a start-up, a recovery) run at a few per second or fewer: whole numbers would print them as 0.
    private static string Rate(double perSecond) =>
        perSecond.ToString(perSecond < 100 ? "0.00" : "N0", CultureInfo.InvariantCulture);

    // The name column is left-aligned, the figures right-aligned.
    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();
}
