namespace Actors.Hosting.Tests;

/// <summary>The README's "Embed it in your app" is the EmbeddedHost sample's Program.cs, which the build compiles and the in-memory specs serve.</summary>
public sealed class EmbedSnippetSpecs
{
    private const string Heading = "## Embed it in your app";

    [Fact]
    public void Readme_must_show_the_samples_Program_cs_and_keep_it_short()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(root, "samples", "EmbeddedHost", "Program.cs")).ReplaceLineEndings("\n").Trim();

        var section = readme.IndexOf(Heading, StringComparison.Ordinal);
        Assert.True(section >= 0, $"README.md has no '{Heading}' section");
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        var snippet = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)].Trim();

        Assert.Equal(program, snippet);
        var code = snippet.Split('\n').Count(line => line.Trim() is { Length: > 0 } text && !text.StartsWith("//", StringComparison.Ordinal));
        Assert.InRange(code, 1, 15);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no Actors.sln above {AppContext.BaseDirectory}");
    }
}
