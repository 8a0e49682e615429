using System.Text.RegularExpressions;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// The Regions rows of an AWS Bedrock key (Region, Access Key ID, Secret Access Key) as validated, and the region a Bedrock model ID
/// starts with.
/// </summary>
internal static partial class BedrockRegionRows
{
    /// <summary>Each filled row's errors, then every model whose region has no row when there is no <c>global</c> row.</summary>
    public static IEnumerable<FieldError> Validate(ProviderKeyInput input)
    {
        var rows = input.FilledRows.ToList();
        if (rows.Count > AwsBedrockAdapter.MaxRegions)
        {
            yield return new(nameof(ProviderKeyInput.CredentialRows), $"At most {AwsBedrockAdapter.MaxRegions} regions fit in one key.");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, cells) in rows)
        {
            var region = cells.GetValueOrDefault(AwsBedrockAdapter.RegionColumn)?.Trim();
            var regionProperty = FormRows.Property(index, AwsBedrockAdapter.RegionColumn);
            if (string.IsNullOrEmpty(region))
            {
                yield return new(regionProperty, "Region is required.");
            }
            else if (region != AwsBedrockAdapter.GlobalRegion && !RegionPattern().IsMatch(region))
            {
                yield return new(regionProperty, "Region must be an AWS region such as us-east-1, or global.");
            }
            else if (!seen.Add(region))
            {
                yield return new(regionProperty, "Each region can have one row.");
            }

            var keyId = cells.GetValueOrDefault(AwsBedrockAdapter.AccessKeyIdColumn)?.Trim();
            var keyIdProperty = FormRows.Property(index, AwsBedrockAdapter.AccessKeyIdColumn);
            if (string.IsNullOrEmpty(keyId))
            {
                yield return new(keyIdProperty, "Access Key ID is required.");
            }
            else if (!AccessKeyIdPattern().IsMatch(keyId))
            {
                yield return new(keyIdProperty, "Access Key ID must be 16 to 128 capital letters and digits, such as AKIA….");
            }

            var secret = cells.GetValueOrDefault(AwsBedrockAdapter.SecretAccessKeyColumn);
            var secretProperty = FormRows.Property(index, AwsBedrockAdapter.SecretAccessKeyColumn);
            if (string.IsNullOrWhiteSpace(secret))
            {
                yield return new(secretProperty, "Secret Access Key is required.");
            }
            else if (secret.Trim().Length is < 16 or > 128)
            {
                yield return new(secretProperty, "Secret Access Key must be 16 to 128 characters.");
            }
            else
            {
                foreach (var error in FieldRules.ApiKey(secret, secretProperty, "Secret Access Key"))
                {
                    yield return error;
                }
            }
        }

        if (rows.Count > 0 && !seen.Contains(AwsBedrockAdapter.GlobalRegion))
        {
            foreach (var model in input.DistinctModelIds.Where(m => RegionOf(m) is { } r && !seen.Contains(r)))
            {
                yield return new(nameof(ProviderKeyInput.ModelIds), $"No credentials for {RegionOf(model)} (model {model}): add a row for that region, or a global row.");
            }
        }
    }

    /// <summary>The region a model ID starts with (<c>us-east-1/…</c>), or null.</summary>
    public static string? RegionOf(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var slash = modelId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < modelId.Length - 1 && RegionPattern().IsMatch(modelId[..slash]) ? modelId[..slash] : null;
    }

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[A-Z0-9]{16,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyIdPattern();
}
