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
        await UntilAsync(async () => Pool(await HealthAsync(client)).GetProperty("activeJobs").GetInt32() >= 1,
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
            await UntilAsync(async () => (await HealthAsync(client)).GetProperty("status").GetString() == "Healthy", "a worker process to serve");
            var jobs = Pool(await HealthAsync(client));
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

    [Fact]
    public async Task Every_error_a_client_can_provoke_must_be_problem_details_with_a_message()
    {
        // A half-second task timeout and one try: a long sleep times out at once; Kestrel's real body limit, lowered.
        using var service = CliRunner.StartDll(SampleDll, "--urls", "http://127.0.0.1:0", "--Actors:Mode=local", "--EmbeddedHost:MaxInputs=5",
            "--Actors:Pools:jobs:TaskTimeout=00:00:00.5", "--Actors:Pools:jobs:MaxAttempts=1", "--EmbeddedHost:MaxBodyBytes=100000");
        using var client = await ClientAsync(service);
        var tooLarge = "[" + string.Join(',', Enumerable.Repeat("1", 60_000)) + "]";

        (HttpStatusCode Status, Func<Task<HttpResponseMessage>> Send, string Detail)[] errors =
        [
            (HttpStatusCode.BadRequest, () => client.PostAsync("/map", Json("""{"job":"square","inputs":[1,2""")), "not valid JSON"),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/square", Json("[1,2")), "Failed to read parameter"),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/map", Json("""{"job":"square","inputs":[1,"two"]}""")), "inputs[1] is \"two\""),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/square", Json("""[1,"two"]""")), "could not be converted"),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/buffer/take?max=abc"), "\"abc\""),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/map", Json("""{"job":"square","inputs":[1,2,3,4,5,6]}""")), "at most 5 per request"),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/square", Json("[1,2,3,4,5,6]")), "at most 5 per request"),
            (HttpStatusCode.NotFound, () => client.GetAsync("/nowhere"), "There is nothing at /nowhere"),
            (HttpStatusCode.MethodNotAllowed, () => client.DeleteAsync("/map"), "DELETE is not allowed on /map"),
            (HttpStatusCode.RequestEntityTooLarge, () => client.PostAsync("/map", Json(tooLarge)), "too large"),
            (HttpStatusCode.UnsupportedMediaType, () => client.PostAsync("/map", new StringContent("""{"job":"square","inputs":[1]}""")), "'text/plain"),
            (HttpStatusCode.UnsupportedMediaType, () => client.PostAsync("/square", new StringContent("[1]")), "application/json"),
            (HttpStatusCode.UnsupportedMediaType, () => client.PostAsync("/buffer/put", new ByteArrayContent([1, 2])), "missing"),
            (HttpStatusCode.UnprocessableEntity, () => client.PostAsync("/map", Json("""{"job":"sum-range","inputs":[4300000000]}""")), "OverflowException: sum-range 4300000000"),
            (HttpStatusCode.UnprocessableEntity, () => client.PostAsync("/square", Json("[3037000500]")), "OverflowException"),
            (HttpStatusCode.GatewayTimeout, () => client.PostAsync("/map", Json("""{"job":"sleep","inputs":[60000]}""")), "per-task timeout"),
        ];

        foreach (var (status, send, detail) in errors)
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.Contains(detail, problem.GetProperty("detail").GetString());
        }
        // A client's error is answered, not logged as the service's failure (the pool still logs a job's exception as it restarts its worker).
        Assert.DoesNotContain("fail: Microsoft.AspNetCore", service.Stdout);
        Assert.DoesNotContain("fail: EmbeddedHost", service.Stdout);
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("ASPNETCORE_HTTP_PORTS")]
    [InlineData("--urls")]
    public async Task Service_must_listen_where_the_standard_settings_say_and_not_on_its_default_port(string how)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string>();
        string[] args = ["--Actors:Mode=local"];
        switch (how)
        {
            case "ASPNETCORE_URLS": environment[how] = $"http://127.0.0.1:{port}"; break;
            case "ASPNETCORE_HTTP_PORTS": environment[how] = $"{port}"; break;
            default: args = [.. args, "--urls", $"http://127.0.0.1:{port}"]; break;
        }
        using var service = CliRunner.StartDll(SampleDll, environment, args);

        var listening = await service.OutputAsync(line => line.Contains("Now listening on:", StringComparison.Ordinal) ? line : null, "where it listens", Generous);

        Assert.EndsWith($":{port}", listening.Trim());
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Generous };
        Assert.Equal("[1,4,9]", await (await client.PostAsync("/square", Json("[1,2,3]"))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_second_service_on_a_port_in_use_must_exit_1_saying_so()
    {
        using var first = CliRunner.StartDll(SampleDll, "--urls", "http://127.0.0.1:0", "--Actors:Mode=local");
        using var client = await ClientAsync(first);
        using var second = CliRunner.StartDll(SampleDll, "--urls", client.BaseAddress!.ToString().TrimEnd('/'), "--Actors:Mode=local");

        var exit = await second.WaitForExitAsync(Generous);

        Assert.True(exit == 1, $"exit {exit}: {second.Stderr}");
        Assert.Contains("error: the service cannot start: Failed to bind to address", second.Stderr);
        Assert.Contains("address already in use", second.Stderr);
    }

    /// <summary>A port nothing listens on now (the system's choice for a socket closed at once).</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<HttpClient> ClientAsync(CliRunner service)
    {
        var url = await service.OutputAsync(line => ListeningPattern().Match(line) is { Success: true } match ? match.Groups[1].Value : null,
            "where it listens", Generous);
        return new HttpClient { BaseAddress = new Uri(url), Timeout = Generous };
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client) =>
        await (await client.GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The jobs pool's entry in the readiness check of a /health answer.</summary>
    private static JsonElement Pool(JsonElement health) => health.GetProperty("checks").GetProperty("actors-ready").GetProperty("data").GetProperty("pool:jobs");

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
    private sealed class HeldContent : HttpContent
    {
        private readonly string first;
        private readonly string rest;

        public HeldContent(string first, string rest)
        {
            (this.first, this.rest) = (first, rest);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json"); // the service takes JSON only
        }

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
