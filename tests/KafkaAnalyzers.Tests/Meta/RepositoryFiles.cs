namespace KafkaAnalyzers.Tests.Meta;

/// <summary>Files of the repository the meta-tests compare the code with.</summary>
internal static class RepositoryFiles
{
    public static string Root => TestEnvironment.RepositoryRoot;

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative)
    {
        var path = PathOf(relative);
        Assert.True(File.Exists(path), $"{relative} is missing");
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }

    public static IReadOnlyList<string> Lines(string relative) => Read(relative).Split('\n');

    /// <summary>C# files under a repository folder, build output left out; none when the folder does not exist.</summary>
    public static IEnumerable<string> CSharpFilesUnder(string relative)
    {
        var directory = PathOf(relative);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<string>();
        }

        return Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(path => path, StringComparer.Ordinal);
    }
}
