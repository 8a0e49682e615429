using Bunit;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Web.Tests.Components.Layout;

public sealed class PortalErrorBoundaryTests : PortalBunitContext
{
    private const string Detail = "connection string Server=secret-host;Password=hunter2";

    private sealed class Exploding : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder) => throw new InvalidOperationException(Detail);
    }

    [Fact]
    public void Render_ChildThrows_ShowsFriendlyMessageWithErrorIdAndLogsTheDetails()
    {
        var logs = new LogCapture();
        Services.AddLogging(l => l.AddProvider(logs));
        Renderer.SetRendererInfo(new RendererInfo("Server", true));

        var boundary = Render<PortalErrorBoundary>(p => p.AddChildContent<Exploding>());

        Assert.Contains("Something went wrong", boundary.Markup, StringComparison.Ordinal);
        var errorId = boundary.Find("[data-error-id]").TextContent.Trim();
        Assert.Matches("^[0-9a-f]{12}$", errorId);
        Assert.DoesNotContain("hunter2", boundary.Markup, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains(errorId, StringComparison.Ordinal) && line.Contains(Detail, StringComparison.Ordinal));
        Assert.NotNull(boundary.Find("button"));
    }

    [Fact]
    public void Render_ChildFine_RendersTheChild()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", true));
        var boundary = Render<PortalErrorBoundary>(p => p.AddChildContent("<p>all good</p>"));
        Assert.Contains("all good", boundary.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Something went wrong", boundary.Markup, StringComparison.Ordinal);
    }
}
