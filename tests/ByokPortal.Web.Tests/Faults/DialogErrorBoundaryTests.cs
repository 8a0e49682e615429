using Bunit;
using ByokPortal.Core.Data;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Layout;
using ByokPortal.Web.Tests.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Faults;

/// <summary>
/// Dialogs render inside the layout's error boundary: a fault that no action caught shows the boundary's message with an error ID
/// instead of ending the circuit (outside the boundary, the exception would reach the renderer and the page would freeze).
/// </summary>
public sealed class DialogErrorBoundaryTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(string email) => SignInAsAsync(email);
    }

    /// <summary>A dialog whose button fails in a way no action caught.</summary>
    private sealed class FailingDialog : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<MudDialog>(0);
            builder.AddComponentParameter(1, nameof(MudDialog.DialogContent), (RenderFragment)(content =>
            {
                content.OpenElement(0, "button");
                content.AddAttribute(1, "id", "fail");
                content.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException("not caught by any action")));
                content.AddContent(3, "Fail");
                content.CloseElement();
            }));
            builder.CloseComponent();
        }
    }

    [Fact]
    public async Task DialogAction_ThrowsUncaught_TheLayoutsErrorBoundaryShowsItsMessage()
    {
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(DemoSignIn.EnterpriseOwner);
        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        await layout.InvokeAsync(() => dialogs.ShowAsync<FailingDialog>("Failing"));
        layout.WaitForAssertion(() => Assert.NotNull(layout.Find("#fail")));

        layout.Find("#fail").Click();

        layout.WaitForAssertion(() => Assert.Contains("Something went wrong", layout.Markup, StringComparison.Ordinal));
        Assert.Matches("^[0-9a-f]{12}$", layout.Find("[data-error-id]").TextContent.Trim());
        Assert.Contains("Sign out", layout.Markup, StringComparison.Ordinal);
    }
}
