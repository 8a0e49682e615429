namespace ByokPortal.Web.Components.Shared;

/// <summary>What a page or dialog says when an action fails unexpectedly: the input stays, nothing secret is shown.</summary>
public static class ActionErrors
{
    public const string Unexpected = "Something went wrong and the change may not have been saved. Your input is kept: try again, or reload the page.";

    /// <summary>A refusal that means the person lost their access to the page's scope (another owner took their role away).</summary>
    public static bool MayMeanNoAccess(ByokPortal.Core.Common.Error? error) => error is ByokPortal.Core.Common.NotFoundError or ByokPortal.Core.Common.ForbiddenError;
}
