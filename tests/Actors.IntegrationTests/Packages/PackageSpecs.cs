using System.Text.Json;

namespace Actors.IntegrationTests.Packages;

/// <summary>
/// The packages as a user meets them: a fresh console app outside this repository adds the library
/// by name from a local feed and maps in worker processes; the <c>actors</c> tool installs from the
/// same feed and maps in worker processes. Every process a spec starts is killed by pid when it ends.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PackageSpecs(PackageFeedFixture feed) : IClassFixture<PackageFeedFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_fresh_app_that_adds_the_library_package_alone_must_map_its_own_job_in_worker_processes()
    {
        var app = Directory.CreateDirectory(Path.Combine(feed.Directory, "FreshApp")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "FreshApp.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Actors.Configuration;
            using Actors.Jobs;
            using Actors.Pool;
            using Actors.Security;

            // The README's snippet: the processes preset comes from the package, the worker host too.
            var config = ActorsConfig.Load(new ConfigOptions { Mode = "processes", Overrides = ["actors.pool.processes.count = 2"] });
            using var system = WireSecurity.CreateSystem("app", config);
            await using var pool = WorkerPool.Create(system, "squares");
            var pids = new HashSet<int>();
            var cubes = await pool.MapAsync(new Cube(), Enumerable.Range(0, 1000).Select(i => (long)i),
                new MapOptions { Progress = new Recorder(p => { lock (pids) pids.UnionWith(p.Pids); }) });
            Console.WriteLine($"sum={cubes.Sum()} worker-pids={string.Join(',', pids)} my-pid={Environment.ProcessId}");

            public sealed class Cube : IJob<long, long> { public long Run(long x) => x * x * x; }

            sealed class Recorder(Action<MapProgress> record) : IProgress<MapProgress> { public void Report(MapProgress value) => record(value); }
            """);

        await DotnetAsync(app, "add", "package", "Actors.Core");
        await DotnetAsync(app, "build", "--disable-build-servers", "-nologo");
        using var run = CliRunner.StartDll(Path.Combine(app, "bin", "Debug", "net10.0", "FreshApp.dll"));
        Assert.Equal(0, await run.WaitForExitAsync(RunTimeout));

        var answer = run.Stdout.Split('\n').Single(line => line.StartsWith("sum=", StringComparison.Ordinal)).Trim().Split(' ');
        Assert.Equal($"sum={Enumerable.Range(0, 1000).Sum(i => (long)i * i * i)}", answer[0]);
        var workers = answer[1]["worker-pids=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(workers);
        Assert.DoesNotContain(answer[2]["my-pid=".Length..], workers);
    }

    [Fact]
    public async Task The_tool_installed_from_the_feed_must_map_in_worker_processes()
    {
        var tools = Path.Combine(feed.Directory, "tools");
        await DotnetAsync(feed.Directory, "tool", "install", "Actors.Cli", "--tool-path", tools, "--configfile", feed.NuGetConfig);

        using var run = CliRunner.StartFile(Path.Combine(tools, "actors"), "map", "--job", "square", "--range", "0..1000", "--mode", "processes", "--json");
        Assert.Equal(0, await run.WaitForExitAsync(RunTimeout));

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1000, json.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => (long)i * i), json.RootElement.GetProperty("sum").GetInt64());
        Assert.NotEqual(0, json.RootElement.GetProperty("pids").GetArrayLength());
    }

    private Task<string> DotnetAsync(string directory, params string[] arguments) =>
        CommandRun.RunAsync(PackageFeedFixture.Dotnet, arguments, directory, PackageFeedFixture.CommandTimeout);
}
