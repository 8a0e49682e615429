using ByokPortal.Core.ApiKeys;
using ByokPortal.Runtime.Snapshots;

namespace ByokPortal.Runtime.Tests.Snapshots;

/// <summary>
/// The snapshot finds a presented API key by the SHA-256 the database stores, and confirms the match with a branch-free compare: a
/// presented key matches its own stored hash and no other, whichever of its four words differs.
/// </summary>
public sealed class ApiKeyHashTests
{
    [Fact]
    public void Of_APresentedToken_IsTheHashTheDatabaseStoresForIt()
    {
        var (token, _, storedHex) = ApiKeyToken.Create();

        var presented = ApiKeyHash.Of(token);

        Assert.True(presented.FixedTimeEquals(ApiKeyHash.FromHex(storedHex)));
        Assert.False(presented.FixedTimeEquals(ApiKeyHash.FromHex(ApiKeyToken.Create().Hash)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    public void FixedTimeEquals_TwoHashesDifferingInOneByte_AreDifferent(int differingByte)
    {
        var stored = Convert.FromHexString(ApiKeyToken.Create().Hash);
        var other = (byte[])stored.Clone();
        other[differingByte] ^= 0x01;

        var a = ApiKeyHash.FromHex(Convert.ToHexStringLower(stored));
        var b = ApiKeyHash.FromHex(Convert.ToHexStringLower(other));

        Assert.False(a.FixedTimeEquals(b));
        Assert.True(a.FixedTimeEquals(ApiKeyHash.FromHex(Convert.ToHexStringLower(stored))));
    }
}
