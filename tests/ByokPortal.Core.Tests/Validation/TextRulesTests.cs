using ByokPortal.Core.Common;

namespace ByokPortal.Core.Tests.Validation;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("< img src=x onerror=alert(1)>")]
    [InlineData("Production</b>")]
    [InlineData("<!-- hidden -->")]
    [InlineData("<?xml version=\"1.0\"?>")]
    public void Markup_IsRecognised(string text) => Assert.True(TextRules.HasMarkup(text));

    [Theory]
    [InlineData("Production Key")]
    [InlineData("tier < 2 and > 1")]
    [InlineData("a <= b")]
    [InlineData("")]
    [InlineData(null)]
    public void PlainText_IsNotMarkup(string? text) => Assert.False(TextRules.HasMarkup(text));
}
