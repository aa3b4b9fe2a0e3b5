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
    public async Task Scenario_must_end_with_an_error_when_its_actor_system_shuts_down_under_it()
    {
        var system = Akka.Actor.ActorSystem.Create("scenario-shutdown", "akka.loglevel = WARNING");
        try
        {
            var output = new SynchronizedWriter();
            var slow = new ProducerConsumerOptions { Count = 1_000, ProducerInterval = TimeSpan.FromMilliseconds(20), ConsumerInterval = TimeSpan.FromMilliseconds(20) };
            var scenario = ProducerConsumerScenario.RunAsync(system, output, slow);
            await AwaitConditionAsync(() => Task.FromResult(output.ToString().Contains("Added")), TimeSpan.FromSeconds(20));

            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(20));

            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => scenario.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("stopped before the consumer drained the buffer", e.Message);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

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

    /// <summary>A StringWriter the spec may read while the trace actor writes to it.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public override void Write(char value)
        {
            lock (_gate) base.Write(value);
        }

        public override void Write(string? value)
        {
            lock (_gate) base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_gate) base.WriteLine(value);
        }

        public override string ToString()
        {
            lock (_gate) return base.ToString();
        }
    }
}
