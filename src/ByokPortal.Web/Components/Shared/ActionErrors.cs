namespace ByokPortal.Web.Components.Shared;

/// <summary>How a page tells a refusal that means lost access from any other failure.</summary>
public static class ActionErrors
{
    /// <summary>A refusal that means the person lost their access to the page's scope (another owner took their role away).</summary>
    public static bool MayMeanNoAccess(ByokPortal.Core.Common.Error? error) => error is ByokPortal.Core.Common.NotFoundError or ByokPortal.Core.Common.ForbiddenError;
}
