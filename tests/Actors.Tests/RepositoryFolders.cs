namespace Actors.Tests;

/// <summary>Folders of the repository the unit tests read from where it is (they do not copy them beside themselves).</summary>
internal static class RepositoryFolders
{
    /// <summary>The folder holding <c>Actors.sln</c>.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"Actors.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The repository's <c>config</c> folder (<c>base.hocon</c>, <c>processes.hocon</c>, …).</summary>
    public static string Config() => Path.Combine(Root(), "config");
}
