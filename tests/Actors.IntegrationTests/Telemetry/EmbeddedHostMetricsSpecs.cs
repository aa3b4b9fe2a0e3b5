using System.Net;
using System.Text.RegularExpressions;

namespace Actors.IntegrationTests;

// The sample's Prometheus scrape endpoint, read as a scraper reads it.
public sealed partial class EmbeddedHostSpecs
{
    [Fact]
    public async Task Service_must_serve_its_pools_metrics_on_its_Prometheus_endpoint_after_a_map()
    {
        using var service = CliRunner.StartDll(SampleDll, "--urls", "http://127.0.0.1:0", "--Actors:Mode=local");
        using var client = await ClientAsync(service);

        var squares = await client.PostAsync("/map", Json("""{"job":"square","inputs":[1,2,3]}"""));
        Assert.Equal("[1,4,9]", await squares.Content.ReadAsStringAsync());

        string scrape = "";
        await UntilAsync(async () =>
        {
            // The exporter caches a scrape for a moment: read again until the map's outcomes are in it.
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            scrape = await response.Content.ReadAsStringAsync();
            return CompletedInputs().IsMatch(scrape);
        }, "the map's 3 inputs in the scrape");
        Assert.Matches(@"actors_pool_map_duration_seconds_count\{[^}]*actors_pool_name=""jobs""[^}]*\} 1", scrape);
        Assert.Matches(@"actors_pool_workers\{[^}]*actors_pool_name=""jobs""[^}]*actors_worker_state=""ready""[^}]*\} \d+", scrape);
        Assert.Contains("http_server_request_duration_seconds", scrape); // ASP.NET Core's own, beside the library's
    }

    [GeneratedRegex(@"actors_pool_inputs_completed_total\{[^}]*actors_job_name=""Actors\.Jobs\.SquareJob""[^}]*actors_pool_mode=""local""[^}]*actors_pool_name=""jobs""[^}]*\} 3\b")]
    private static partial Regex CompletedInputs();
}
