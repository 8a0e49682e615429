using ByokPortal.Core.CustomModels;

namespace ByokPortal.Core.Tests.CustomModels;

/// <summary>The access button's words in "Added models".</summary>
public sealed class ModelAccessLabelTests
{
    [Theory]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 0, "Configure")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 1, "1 organization")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 3, "3 organizations")]
    [InlineData(ModelAccessMode.ChoosePerOrganization, 4999, "4999 organizations")]
    [InlineData(ModelAccessMode.AllOrganizations, 0, "All organizations")]
    [InlineData(ModelAccessMode.AllOrganizations, 2, "All organizations")]
    public void For_ModeAndCount_TellsTheState(ModelAccessMode mode, int count, string label)
    {
        Assert.Equal(label, ModelAccessLabel.For(mode, count));
    }
}
