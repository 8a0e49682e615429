using System.Net.Http.Headers;
using ByokPortal.Runtime.Gateway;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// The provider's media type, read from its Content-Type as it came: it decides whether the gateway reads token counts from the answer
/// (JSON, or server-sent events) and whether it starts the answer before the first event.
/// </summary>
public sealed class GatewayExchangeTests
{
    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("Application/JSON ;charset=UTF-8", "Application/JSON")]
    [InlineData("text/event-stream", "text/event-stream")]
    [InlineData("  text/event-stream ; charset=utf-8", "text/event-stream")]
    public void MediaType_IsTheContentTypeWithoutItsParameters(string contentType, string expected)
    {
        using var content = new ByteArrayContent([]);
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        Assert.Equal(expected, GatewayExchange.MediaType(content.Headers).ToString());
    }

    [Fact]
    public void MediaType_IsEmpty_WithoutAContentType()
    {
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = null;

        Assert.Equal("", GatewayExchange.MediaType(content.Headers).ToString());
    }

    [Fact]
    public void MediaType_OfATypedContentType_IsItsMediaType()
    {
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream") { CharSet = "utf-8" };

        Assert.Equal("text/event-stream", GatewayExchange.MediaType(content.Headers).ToString());
    }
}
