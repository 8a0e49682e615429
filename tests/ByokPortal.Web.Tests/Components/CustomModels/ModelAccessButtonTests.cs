using Bunit;
using ByokPortal.Core.CustomModels;
using ByokPortal.Web.Components.CustomModels;

namespace ByokPortal.Web.Tests.Components.CustomModels;

public sealed class ModelAccessButtonTests : PortalBunitContext
{
    [Theory]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 0, "Configure")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 1, "1 organization")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 3, "3 organizations")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 5000, "5000 organizations")]
    [InlineData(ModelAccessMode.AllOrganizations, 0, "All organizations")]
    [InlineData(ModelAccessMode.AllOrganizations, 2, "All organizations")]
    public void Render_ForAccessState_ButtonLabelTellsTheState(ModelAccessMode mode, int organizations, string label)
    {
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var clicked = false;

        var button = Render<ModelAccessButton>(p => p
            .Add(b => b.Mode, mode)
            .Add(b => b.OrganizationCount, organizations)
            .Add(b => b.ModelName, "gpt-4o")
            .Add(b => b.OnClick, () => clicked = true));

        var element = button.Find("button");
        Assert.Equal(label, element.TextContent.Trim());
        Assert.Equal("dialog", element.GetAttribute("aria-haspopup"));
        element.Click();
        Assert.True(clicked);
    }
}
