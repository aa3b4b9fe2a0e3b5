using System.Text.RegularExpressions;
using ProducerConsumer;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

public sealed partial class ProducerConsumerScenarioSpecs : TestKit
{
    private static readonly ProducerConsumerOptions Fast = new()
    {
        ProducerInterval = TimeSpan.FromMilliseconds(2),
        ConsumerInterval = TimeSpan.FromMilliseconds(3),
    };

    [Fact]
    public async Task Scenario_must_print_the_seed_trace_and_end_with_an_empty_list()
    {
        var output = new StringWriter();

        await ProducerConsumerScenario.RunAsync(Sys, output, Fast).WaitAsync(TimeSpan.FromSeconds(20));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length);
        Assert.Equal("Final list: []", lines[^1]);

        // Replaying the lines on a list must reproduce every "Current list" they print: the trace
        // is the buffer's own order of operations.
        var list = new List<int>();
        var added = new List<int>();
        var removed = new List<int>();
        foreach (var line in lines[..^1])
        {
            var match = TraceLine().Match(line);
            Assert.True(match.Success, $"unexpected line: {line}");
            var number = int.Parse(match.Groups["number"].Value);
            if (match.Groups["verb"].Value == "Added")
            {
                list.Add(number);
                added.Add(number);
            }
            else
            {
                Assert.Equal(list[0], number);
                list.RemoveAt(0);
                removed.Add(number);
            }

            Assert.Equal($"[{string.Join(", ", list)}]", match.Groups["list"].Value);
        }

        Assert.Equal(Enumerable.Range(0, 10), added);
        Assert.Equal(Enumerable.Range(0, 10), removed);
    }

    [Fact]
    public async Task Scenario_must_hold_the_producer_when_the_buffer_is_full()
    {
        var output = new StringWriter();
        var options = Fast with
        {
            Count = 6,
            Capacity = 2,
            ProducerInterval = TimeSpan.FromMilliseconds(1),
            ConsumerInterval = TimeSpan.FromMilliseconds(5),
        };

        await ProducerConsumerScenario.RunAsync(Sys, output, options).WaitAsync(TimeSpan.FromSeconds(20));

        var lists = output.ToString()
            .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => TraceLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["list"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries).Length)
            .ToList();
        Assert.Equal(12, lists.Count);
        Assert.All(lists, length => Assert.InRange(length, 0, 2));
    }

    [Fact]
    public async Task Scenario_must_finish_at_once_when_there_is_nothing_to_produce()
    {
        var output = new StringWriter();

        await ProducerConsumerScenario.RunAsync(Sys, output, Fast with { Count = 0 }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Final list: []" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public async Task Scenario_must_stop_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var run = ProducerConsumerScenario.RunAsync(Sys, TextWriter.Null, new ProducerConsumerOptions(), cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [GeneratedRegex(@"^(?<verb>Added|Removed) (?<number>\d+) (?:to|from) list\. Current list: (?<list>\[[\d, ]*\])$")]
    private static partial Regex TraceLine();
}
