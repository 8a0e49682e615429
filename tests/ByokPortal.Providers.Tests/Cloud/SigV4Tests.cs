using ByokPortal.Providers.Aws;

namespace ByokPortal.Providers.Tests.Cloud;

/// <summary>
/// The portal's SigV4 signer against AWS's published Signature Version 4 test suite (credential AKIDEXAMPLE, region us-east-1, service
/// "service", 2015-08-30T12:36:00Z, host example.amazonaws.com): the canonical request, the string to sign and the signature of each case.
/// </summary>
public sealed class SigV4Tests
{
    private static readonly AwsAccessKey Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static SigV4Signature Sign(string method, string url) =>
        SigV4.Sign(method, new Uri(url), [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            SigV4.EmptyPayloadHash, "us-east-1", "service", Example, SignedAt);

    [Fact]
    public void GetVanilla_CanonicalRequestStringToSignAndSignature_MatchTheSuite()
    {
        var signed = Sign("GET", "https://example.amazonaws.com/");

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            signed.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signed.StringToSign);
        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signed.Signature);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signed.Authorization);
    }

    [Theory]
    [InlineData("post-vanilla", "POST", "https://example.amazonaws.com/", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "Param1=value1&Param2=value2",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("get-vanilla-query-order-value", "GET", "https://example.amazonaws.com/?Param1=value2&Param1=value1", "Param1=value1&Param1=value2",
        "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694")]
    public void SuiteCase_Signature_MatchesTheSuite(string suiteCase, string method, string url, string canonicalQuery, string signature)
    {
        var signed = Sign(method, url);

        Assert.Equal(canonicalQuery, signed.CanonicalRequest.Split('\n')[2]);
        Assert.True(signature == signed.Signature, $"{suiteCase}: expected {signature}, got {signed.Signature}");
    }

    [Fact]
    public void SignRequest_BodyAndTime_AreSignedWithTheHostAndTheBodysHash()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.eu-west-3.amazonaws.com/openai/v1/chat/completions");
        var body = "{\"model\":\"mistral.mistral-large-2402-v1:0\"}"u8.ToArray();

        SigV4.SignRequest(request, body, "eu-west-3", "bedrock", Example, SignedAt);

        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-3/bedrock/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
            authorization, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), request.Headers.GetValues("x-amz-content-sha256").Single());
        Assert.DoesNotContain(Example.SecretAccessKey, string.Join('\n', request.Headers.SelectMany(h => h.Value)), StringComparison.Ordinal);

        // Another body gives another signature: the body is part of what is signed.
        using var other = new HttpRequestMessage(HttpMethod.Post, request.RequestUri);
        SigV4.SignRequest(other, "{\"model\":\"other\"}"u8, "eu-west-3", "bedrock", Example, SignedAt);
        Assert.NotEqual(authorization, other.Headers.GetValues("Authorization").Single());
    }
}
