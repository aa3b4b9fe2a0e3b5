using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Actors.IntegrationTests;

/// <summary>The EmbeddedHost sample run as a user runs it: a real process on a free port, stopped with SIGTERM.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class EmbeddedHostSpecs
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    /// <summary>The sample as this build made it: samples/EmbeddedHost/bin/CONFIGURATION/net10.0, beside these tests' own bin/CONFIGURATION/net10.0.</summary>
    private static string SampleDll
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (output.Name, output.Parent!.Name);
            for (var directory = output; directory is not null; directory = directory.Parent)
            {
                var dll = Path.Combine(directory.FullName, "samples", "EmbeddedHost", "bin", configuration, framework, "EmbeddedHost.dll");
                if (File.Exists(dll)) return dll;
            }
            throw new FileNotFoundException($"EmbeddedHost.dll ({configuration}, {framework}) is not built above {output.FullName}");
        }
    }

    [Fact]
    public async Task Service_must_answer_and_finish_a_map_still_receiving_its_inputs_at_SIGTERM_then_exit_0()
    {
        using var service = CliRunner.StartDll(SampleDll, "--urls", "http://127.0.0.1:0", "--Actors:Mode=local");
        using var client = await ClientAsync(service);

        var squares = await client.PostAsync("/map", Json("""{"job":"square","inputs":[1,2,3]}"""));
        Assert.Equal("[1,4,9]", await squares.Content.ReadAsStringAsync());
        var notJson = await client.PostAsync("/map", Json("not json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("The body is not valid JSON", await notJson.Content.ReadAsStringAsync());

        // A streaming map whose client has sent half its inputs: the service is running it.
        var inputs = new HeldContent("[1,2,", "3]");
        var mapping = client.PostAsync("/map/square", inputs);
        await inputs.FirstPartSent.Task.WaitAsync(Generous);
        await UntilAsync(async () => (await HealthAsync(client)).GetProperty("pools").GetProperty("jobs").GetProperty("activeJobs").GetInt32() >= 1,
            "the service to start the map");

        service.Signal("TERM");
        await service.OutputAsync(line => line.Contains("Application is shutting down", StringComparison.Ordinal) ? line : null, "that it is stopping", Generous);
        inputs.SendRest();

        var response = await mapping.WaitAsync(Generous);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[1,4,9]", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await service.WaitForExitAsync(Generous));
    }

    [Fact]
    public async Task Service_must_run_its_pool_in_worker_processes_and_stop_them_when_it_stops()
    {
        using var service = CliRunner.StartDll(SampleDll, "--urls", "http://127.0.0.1:0",
            "--Actors:Mode=processes", "--Actors:Pools:jobs:Processes:Count=1");
        IReadOnlyList<int> workers = [];
        try
        {
            using var client = await ClientAsync(service);
            await UntilAsync(async () => (await HealthAsync(client)).GetProperty("status").GetString() == "ready", "a worker process to serve");
            var jobs = (await HealthAsync(client)).GetProperty("pools").GetProperty("jobs");
            Assert.Equal("processes", jobs.GetProperty("mode").GetString());
            Assert.Equal(1, jobs.GetProperty("workerProcesses").GetInt32());
            workers = ProcessPool.ChildrenOf(service.Pid).Where(ProcessPool.IsRunning).ToList();
            Assert.Single(workers);

            // The sample's own job type runs in the worker process, loaded from the app's assembly.
            var lengths = await client.PostAsync("/map", Json("""{"job":"word-length","inputs":["a","bb","ccc"]}"""));
            Assert.Equal("[1,2,3]", await lengths.Content.ReadAsStringAsync());

            service.Signal("TERM");
            Assert.Equal(0, await service.WaitForExitAsync(Generous));
            await UntilAsync(() => Task.FromResult(workers.All(pid => !ProcessPool.IsRunning(pid))), "the worker process to exit with the service");
        }
        finally
        {
            foreach (var pid in workers) ProcessPool.Kill(pid);
        }
    }

    private static async Task<HttpClient> ClientAsync(CliRunner service)
    {
        var url = await service.OutputAsync(line => ListeningPattern().Match(line) is { Success: true } match ? match.Groups[1].Value : null,
            "where it listens", Generous);
        return new HttpClient { BaseAddress = new Uri(url), Timeout = Generous };
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client) =>
        await (await client.GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Generous);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested) throw new TimeoutException($"waited {Generous} for {what}");
            // Polling another process over HTTP: there is no event to await.
            await Task.Delay(50, CancellationToken.None);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();

    /// <summary>A request body sent in two parts: the second only when the test says so.</summary>
    private sealed class HeldContent(string first, string rest) : HttpContent
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource FirstPartSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void SendRest() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            FirstPartSent.TrySetResult();
            await _release.Task.WaitAsync(Generous);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked: the body is not all there yet
        }
    }
}
