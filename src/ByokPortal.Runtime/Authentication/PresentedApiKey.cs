using Microsoft.AspNetCore.Http;

namespace ByokPortal.Runtime.Authentication;

/// <summary>
/// Where applications put their organization API key: <c>Authorization: Bearer …</c> (OpenAI's SDKs), <c>x-api-key</c> (Anthropic's) or
/// <c>api-key</c> (Azure's). Reads the header in place, without allocating.
/// </summary>
public static class PresentedApiKey
{
    public const string AnthropicHeader = "x-api-key";
    public const string AzureHeader = "api-key";

    /// <summary>The presented key (possibly malformed), or an empty span when the request carries none.</summary>
    public static ReadOnlySpan<char> Read(IHeaderDictionary headers) => Read(headers, out _);

    /// <summary>
    /// <see cref="Read(IHeaderDictionary)"/> and <see cref="IsAmbiguous"/> in one pass over the headers (the authentication handler's path:
    /// each header looked up once).
    /// </summary>
    public static ReadOnlySpan<char> Read(IHeaderDictionary headers, out bool ambiguous)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var authorization = headers.Authorization;
        headers.TryGetValue(AnthropicHeader, out var anthropic);
        headers.TryGetValue(AzureHeader, out var azure);
        ambiguous = authorization.Count + anthropic.Count + azure.Count > 1;
        if (authorization.Count == 1 && authorization[0] is { } value)
        {
            var span = value.AsSpan().Trim();
            return span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? span["Bearer ".Length..].Trim() : span;
        }

        if (anthropic.Count == 1 && anthropic[0] is { } anthropicKey)
        {
            return anthropicKey.AsSpan().Trim();
        }

        if (azure.Count == 1 && azure[0] is { } azureKey)
        {
            return azureKey.AsSpan().Trim();
        }

        return [];
    }

    /// <summary>True when the request names a key more than once (two headers, or one header twice): refused rather than guessed.</summary>
    public static bool IsAmbiguous(IHeaderDictionary headers)
    {
        Read(headers, out var ambiguous);
        return ambiguous;
    }
}
