using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// Model lists are read within the portal's bounds (4 MB, 5,000 models by default): a larger answer is refused with a clear message,
/// never truncated; compressed answers are decoded by the portal itself within the same bound.
/// </summary>
public sealed class BoundedAnswerTests(ProviderClientFixture fixture) : IClassFixture<ProviderClientFixture>
{
    private Task<Result<IReadOnlyList<string>>> ListAsync(string path) =>
        fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, $"{fixture.OddRoot}/{path}", null), "sk-anything", ProviderClientFixture.Ct).ModelsAsync();

    [Theory]
    [InlineData("big/v1")]
    [InlineData("big-chunked/v1")]
    public async Task ListModelsAsync_AnswerOverFourMegabytes_IsRefusedSayingSo(string path)
    {
        var result = await ListAsync(path);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.TooLarge, error.Reason);
        Assert.Equal($"{new Uri(fixture.OddRoot).Authority} answered with more than 4 MB, more than the portal reads for a model list. Check the base URL.", error.Message);
    }

    [Fact]
    public async Task ListModelsAsync_MoreModelsThanTheMaximum_IsRefusedNotTruncated()
    {
        var result = await ListAsync("many/5001/v1");

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.TooLarge, error.Reason);
        Assert.Equal($"{new Uri(fixture.OddRoot).Authority} lists more than 5,000 models, the most the portal reads from one list. Check the base URL.", error.Message);
    }

    [Fact]
    public async Task ListModelsAsync_ExactlyTheMaximumOfModels_IsReadWhole()
    {
        var result = await ListAsync("many/5000/v1");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(5000, result.Value.Count);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task ListModelsAsync_CompressedAnswer_IsDecodedByThePortal(string encoding)
    {
        var result = await ListAsync($"encoded/{encoding}/v1");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["model-0000000", "model-0000001", "model-0000002"], result.Value);
    }

    [Fact]
    public async Task ListModelsAsync_AnswerInAnEncodingThePortalDoesNotDecode_IsNotAModelList()
    {
        var result = await ListAsync("encoded/compress/v1");

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.InvalidResponse, error.Reason);
    }
}

/// <summary>Alone (no other test allocating meanwhile), so the process-wide count of allocated bytes measures the call.</summary>
[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

/// <summary>A decompression bomb: a few hundred kilobytes on the wire, 256 MB decompressed. Refused, with memory bounded.</summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class DecompressionBombTests(ProviderClientFixture fixture) : IClassFixture<ProviderClientFixture>
{
    /// <summary>Generous: the 4 MB bound, the buffers that hold it while JSON parsing grows them, and the HTTP machinery.</summary>
    private const long AllocationBound = 64L * 1024 * 1024;

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task ListModelsAsync_DecompressionBomb_IsRefusedWithMemoryBounded(string encoding)
    {
        var bomb = Answers.Bomb(encoding);
        Assert.True(bomb.Length < 4 * 1024 * 1024, "the bomb is not small on the wire");
        var endpoint = new ProviderEndpoint(ProviderKind.OpenAI, $"{fixture.OddRoot}/bomb/{encoding}/v1", null);
        await fixture.Client.ListModelsAsync(endpoint, "sk-anything", ProviderClientFixture.Ct).ModelsAsync(); // warms up the connection and the code paths

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await fixture.Client.ListModelsAsync(endpoint, "sk-anything", ProviderClientFixture.Ct).ModelsAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.TooLarge, error.Reason);
        Assert.True(allocated < AllocationBound, $"reading the bomb allocated {allocated:N0} bytes (bound {AllocationBound:N0}; decompressed it is {Answers.BombBytes:N0})");
    }
}
