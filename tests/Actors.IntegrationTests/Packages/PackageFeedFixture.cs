namespace Actors.IntegrationTests.Packages;

/// <summary>
/// A local folder feed in a temporary directory holding the library package (<c>Actors.Core</c>)
/// and the <c>actors</c> tool package, packed once from the projects as these tests' build left
/// them, and a <c>nuget.config</c> beside it whose only source is that feed: everything else comes
/// from the machine's global packages folder, as a fallback folder, so nothing is fetched from a
/// network. Packages this feed's users restore land in a packages folder of its own, never in the
/// machine's, so a later build's package of the same version is never shadowed by this one.
/// </summary>
public sealed class PackageFeedFixture : IAsyncLifetime
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The temporary directory: <c>feed/</c>, <c>packages/</c>, <c>nuget.config</c>, and whatever the specs make there.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("actors-packages-").FullName;

    public string Feed => Path.Combine(Directory, "feed");

    public string NuGetConfig => Path.Combine(Directory, "nuget.config");

    /// <summary>The <c>dotnet</c> host running these tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        foreach (var project in new[] { Path.Combine("src", "Actors", "Actors.csproj"), Path.Combine("src", "Actors.Cli", "Actors.Cli.csproj") })
        {
            // --no-build: the projects were built with these tests, in the same configuration.
            await CommandRun.RunAsync(Dotnet, ["pack", Path.Combine(root, project), "-c", configuration, "--no-build", "--disable-build-servers", "-o", Feed, "-nologo"],
                root, CommandTimeout);
        }
        var fallback = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Directory, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{fallback}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"Actors.sln not found above {AppContext.BaseDirectory}");
    }
}
