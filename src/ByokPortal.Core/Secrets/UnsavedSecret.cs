using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.Secrets;

/// <summary>
/// Takes back what a save wrote to the secret store before its database write failed: a new secret, or a new version of a stored one
/// (the key keeps using its previous version). If the store cannot do it now, that is logged and the original failure stands; the
/// orphan sweeper (<see cref="OrphanSecretSweeper"/>) removes a secret nothing references later. Names only are logged, never values.
/// </summary>
internal static partial class UnsavedSecret
{
    public static async Task DiscardAsync(ISecretStore secrets, SecretReference written, bool isNewSecret, ILogger logger)
    {
        try
        {
            if (isNewSecret)
            {
                await secrets.DeleteAsync(written.Name, CancellationToken.None);
            }
            else
            {
                await secrets.DeleteVersionAsync(written, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // the save's own failure is what the person sees; this one is for the operator and the sweeper
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotDiscarded(logger, written.Name, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A save failed after writing secret {SecretName}, which could not be taken back now; the orphan sweeper removes it if nothing references it.")]
    private static partial void LogNotDiscarded(ILogger logger, string secretName, Exception exception);
}
