namespace ByokPortal.Persistence.Seeding;

public sealed partial class ScaleSeeder
{
    /// <summary>Tab-separated <c>token model organization</c> lines, in a file only its owner may read (created so, never widened).</summary>
    public static async Task WriteTokensAsync(string path, IEnumerable<ScaleToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        foreach (var token in tokens)
        {
            await writer.WriteLineAsync($"{token.Token}\t{token.Model}\t{token.Organization}");
        }
    }

    public static async Task<IReadOnlyList<ScaleToken>> ReadTokensAsync(string path) =>
        (await File.ReadAllLinesAsync(path))
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 3)
            .Select(fields => new ScaleToken(fields[0], fields[1], fields[2]))
            .ToList();
}
