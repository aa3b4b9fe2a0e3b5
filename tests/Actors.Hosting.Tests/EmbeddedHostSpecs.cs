using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Actors.Hosting.Tests;

/// <summary>The EmbeddedHost sample served in memory, in local mode: its answers and its errors.</summary>
public sealed class EmbeddedHostSpecs : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
        .UseSetting("EmbeddedHost:MaxInputs", "5")
        .UseSetting("EmbeddedHost:BufferWait", "00:00:00.2")
        // Four: the bulkhead spec's three square chunks each find a free worker besides the slow job's
        // (one sent to that worker would wait behind it: see the sample's README, not solved yet).
        .UseSetting("Actors:Pools:jobs:Routees", "4")
        .UseSetting("EmbeddedHost:Bulkheads:slow:PermitLimit", "1")
        .UseSetting("EmbeddedHost:Bulkheads:slow:QueueLimit", "0"));
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Map_must_answer_the_outputs_in_input_order()
    {
        var response = await PostAsync("/map", """{"job":"square","inputs":[1,2,3]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[1,4,9]", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task The_snippets_square_endpoint_must_answer_the_squares()
    {
        var response = await PostAsync("/square", "[1,2,3]");

        Assert.Equal("[1,4,9]", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Theory]
    [InlineData("""{"job":"square","inputs":[1,2,3]""", "The body is not valid JSON", "Send {\"job\": \"square\", \"inputs\": [1, 2, 3]}")]
    [InlineData("""[1,2,3]""", "Not a map request", "The body is a JSON array")]
    [InlineData("""{"job":"cube","inputs":[1]}""", "Unknown job", "There is no job 'cube'. Jobs: million-over, sleep, square, sum-range, word-length.")]
    [InlineData("""{"inputs":[1]}""", "Unknown job", "The body names no job")]
    [InlineData("""{"job":"square","inputs":[1,"two",3]}""", "Wrong input type", "inputs[1] is \"two\": job 'square' takes whole numbers.")]
    [InlineData("""{"job":"square","inputs":[1.5]}""", "Wrong input type", "inputs[0] is 1.5")]
    [InlineData("""{"job":"word-length","inputs":["a",7]}""", "Wrong input type", "inputs[1] is 7: job 'word-length' takes strings.")]
    [InlineData("""{"job":"square","inputs":3}""", "No inputs", "\"inputs\" must be a JSON array of whole numbers")]
    [InlineData("""{"job":"square","inputs":[1,2,3,4,5,6]}""", "Too many inputs", "6 inputs: at most 5 per request (EmbeddedHost:MaxInputs). Send larger maps to POST /map/square")]
    public async Task Map_must_answer_400_with_what_to_fix(string body, string title, string detail)
    {
        var response = await PostAsync("/map", body);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Map_must_answer_422_naming_the_input_a_job_failed_on()
    {
        var response = await PostAsync("/map", """{"job":"million-over","inputs":[4,0,5]}""");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, problem.GetProperty("index").GetInt64());
        Assert.Equal("0", problem.GetProperty("input").GetString());
        Assert.Contains("DivideByZeroException", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Streaming_map_must_take_more_inputs_than_a_request_may_hold_and_answer_in_order()
    {
        var inputs = Enumerable.Range(0, 20_000).Select(i => (long)i).ToArray();

        var response = await PostAsync("/map/square", JsonSerializer.Serialize(inputs));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(inputs.Select(i => i * i), await response.Content.ReadFromJsonAsync<long[]>(Cancel));
    }

    [Theory]
    // A bad input first: a stream yields the outputs of the inputs before a bad one (Python's imap), so only a bad first input is a problem before any output.
    [InlineData("/map/square", "[\"x\",1]", HttpStatusCode.BadRequest, "inputs[0] is \"x\"")]
    [InlineData("/map/square", "{\"a\":1}", HttpStatusCode.BadRequest, "JSON of another shape. Send a JSON array of inputs")]
    [InlineData("/map/square", "[x,2]", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("/map/cube", "[1]", HttpStatusCode.BadRequest, "There is no job 'cube'")]
    [InlineData("/map/million-over", "[0]", HttpStatusCode.UnprocessableEntity, "input #0 (0) failed")]
    public async Task Streaming_map_must_answer_a_problem_before_its_first_output(string path, string body, HttpStatusCode status, string detail)
    {
        var response = await PostAsync(path, body);

        var problem = await ProblemAsync(response, status);
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Buffer_must_hand_out_what_was_put_in_order_and_answer_204_when_empty()
    {
        var put = await PostAsync("/buffer/put", """[1,"two",{"three":3}]""");
        Assert.Equal("""{"put":3}""", await put.Content.ReadAsStringAsync(Cancel));

        Assert.Equal("""[1,"two"]""", await _client.GetStringAsync("/buffer/take?max=2", Cancel));
        Assert.Equal("""[{"three":3}]""", await _client.GetStringAsync("/buffer/take", Cancel));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.GetAsync("/buffer/take", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("/buffer/put", "{\"item\":1}", "send a JSON array of items")]
    [InlineData("/buffer/put", "[1,", "not valid JSON")]
    [InlineData("/buffer/put", "[1,2,3,4,5,6]", "6 items: at most 5 per put (EmbeddedHost:MaxInputs)")]
    public async Task Buffer_must_answer_400_with_what_to_fix(string path, string body, string detail)
    {
        var problem = await ProblemAsync(await PostAsync(path, body), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Take_must_refuse_a_max_out_of_range()
    {
        var problem = await ProblemAsync(await _client.GetAsync("/buffer/take?max=0", Cancel), HttpStatusCode.BadRequest);

        Assert.Contains("take 1 to 100 items at a time", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_must_report_each_pool_and_buffer_through_the_librarys_health_checks()
    {
        var response = await _client.GetAsync("/health", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var ready = health.GetProperty("checks").GetProperty("actors-ready");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        var jobs = ready.GetProperty("data").GetProperty("pool:jobs");
        Assert.Equal("ready", jobs.GetProperty("condition").GetString());
        Assert.Equal("local", jobs.GetProperty("mode").GetString());
        Assert.Equal(4, jobs.GetProperty("routees").GetInt32());
        Assert.Equal(0, jobs.GetProperty("workerProcesses").GetInt32());
        Assert.Equal(JsonValueKind.Null, jobs.GetProperty("unavailable").ValueKind);
        Assert.Equal(1024, ready.GetProperty("data").GetProperty("buffer:items").GetProperty("capacity").GetInt32());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("actors-live").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/health/ready", "actors-ready")]
    [InlineData("/health/live", "actors-live")]
    public async Task Readiness_and_liveness_must_each_be_served_alone(string path, string check)
    {
        var health = await _client.GetFromJsonAsync<JsonElement>(path, Cancel);

        Assert.Equal(check, Assert.Single(health.GetProperty("checks").EnumerateObject()).Name);
    }

    [Fact]
    public async Task The_bulkhead_must_refuse_a_second_slow_job_with_429_while_other_jobs_still_run()
    {
        using var stopSlow = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        // A minute-long wait holds the slow class's one permit; it is cancelled when the spec ends.
        var slow = PostAsync("/map", """{"job":"sleep","inputs":[60000]}""", stopSlow.Token);
        while (!await RunningAsync())
        {
            // Polling the service's health: there is no event for "the slow map has started".
            await Task.Delay(20, Cancel);
        }

        var refused = await PostAsync("/map", """{"job":"sleep","inputs":[1]}""");
        var squares = await PostAsync("/map", """{"job":"square","inputs":[1,2,3]}""");

        var problem = await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many 'slow' jobs", problem.GetProperty("detail").GetString());
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal("[1,4,9]", await squares.Content.ReadAsStringAsync(Cancel));
        Assert.False(slow.IsCompleted); // the other class ran while the slow one held its permit
        await stopSlow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    private async Task<bool> RunningAsync()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/health/ready", Cancel);
        return health.GetProperty("checks").GetProperty("actors-ready").GetProperty("data").GetProperty("pool:jobs").GetProperty("activeJobs").GetInt32() > 0;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body, CancellationToken? cancellationToken = null) =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken ?? Cancel);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
