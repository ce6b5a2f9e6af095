namespace SupplierAssure.ServiceDefaults;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Which database both hosts share. Bound from the "Database" section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "SupplierAssure";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up (on by default; turn off where a release pipeline migrates).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seed the demo organisations, users and partner client (demo mode only).</summary>
    public bool SeedDemoData { get; set; }
}

/// <summary>Where this installation keeps its local files: the SQLite database and evidence.</summary>
public sealed class SupplierAssurePaths(string dataDirectory)
{
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Resolves <paramref name="path"/> against the data directory unless it is absolute.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(DataDirectory, path));

    /// <summary>
    /// "SupplierAssure:DataDirectory" when set; otherwise ".data" in the repository root (found by walking up to
    /// SupplierAssure.sln) so that both hosts started from anywhere in the clone share one database; otherwise
    /// "App_Data" under the content root.
    /// </summary>
    public static SupplierAssurePaths From(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new SupplierAssurePaths(Path.GetFullPath(configured, contentRoot));
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplierAssure.sln")))
            {
                return new SupplierAssurePaths(Path.Combine(dir.FullName, ".data"));
            }
        }

        return new SupplierAssurePaths(Path.Combine(contentRoot, "App_Data"));
    }
}
