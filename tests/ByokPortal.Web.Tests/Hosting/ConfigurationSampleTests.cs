using System.Collections;
using System.Reflection;
using ByokPortal.Core.Common;
using ByokPortal.Core.Secrets;
using ByokPortal.Persistence;
using ByokPortal.Providers;
using ByokPortal.Secrets;
using ByokPortal.Web.Authentication;
using Microsoft.Extensions.Configuration;

namespace ByokPortal.Web.Tests.Hosting;

/// <summary>appsettings.sample.json names every setting the portal reads, and its values bind.</summary>
public sealed class ConfigurationSampleTests
{
    private static readonly (string Section, Type Options)[] Bound =
    [
        (PortalOptions.SectionName, typeof(PortalOptions)),
        (DatabaseOptions.SectionName, typeof(DatabaseOptions)),
        (SecretsOptions.SectionName, typeof(SecretsOptions)),
        (SecretSweepOptions.SectionName, typeof(SecretSweepOptions)),
        (PortalAuthOptions.SectionName, typeof(PortalAuthOptions)),
        (ProvidersOptions.SectionName, typeof(ProvidersOptions)),
        (ByokPortal.Core.ProviderKeys.ProviderKeyOptions.SectionName, typeof(ByokPortal.Core.ProviderKeys.ProviderKeyOptions)),
        (PortalForwardedHeadersOptions.SectionName, typeof(PortalForwardedHeadersOptions)),
        (ByokPortal.Secrets.KeyRing.PortalDataProtectionOptions.SectionName, typeof(ByokPortal.Secrets.KeyRing.PortalDataProtectionOptions)),
        (ByokPortal.Providers.Outbound.OutboundOptions.SectionName, typeof(ByokPortal.Providers.Outbound.OutboundOptions)),
        (ByokPortal.Runtime.RuntimeOptions.SectionName, typeof(ByokPortal.Runtime.RuntimeOptions)),
    ];

    private static IConfigurationRoot Sample()
    {
        var path = Path.Combine(RepositoryRoot(), "appsettings.sample.json");
        return new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
    }

    [Fact]
    public void Sample_ListsEveryOptionsProperty()
    {
        var sample = Sample();
        var missing = Bound.SelectMany(b => Keys(b.Section, b.Options)).Where(key => !sample.GetSection(key).Exists()).ToList();
        Assert.True(missing.Count == 0, "Settings missing from appsettings.sample.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Sample_NamesTheConnectionStringAndEntraSettings()
    {
        var sample = Sample();
        Assert.True(sample.GetSection($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}").Exists());
        foreach (var key in new[] { "Instance", "TenantId", "ClientId", "ClientSecret", "CallbackPath", "SignedOutCallbackPath" })
        {
            Assert.True(sample.GetSection($"AzureAd:{key}").Exists(), $"AzureAd:{key} is missing");
        }

        // No secret values in the sample.
        Assert.Equal("", sample["AzureAd:ClientSecret"]);
        Assert.Equal("", sample[$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"]);
    }

    [Fact]
    public void Sample_ValuesBindToTheOptionsTypes()
    {
        var sample = Sample();
        foreach (var (section, type) in Bound)
        {
            Assert.NotNull(sample.GetSection(section).Get(type));
        }
    }

    [Fact]
    public void Sample_HasNoPortalSettingTheCodeDoesNotRead()
    {
        var known = Bound.SelectMany(b => Keys(b.Section, b.Options)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = Sample().GetSection(PortalOptions.SectionName).AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => System.Text.RegularExpressions.Regex.Replace(pair.Key, @":\d+$", ""))
            .Where(key => !known.Contains(key))
            .ToList();
        Assert.True(unknown.Count == 0, "appsettings.sample.json has settings nothing reads: " + string.Join(", ", unknown));
    }

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            var simple = propertyType.IsPrimitive || propertyType.IsEnum || propertyType == typeof(string) || propertyType == typeof(TimeSpan)
                         || propertyType == typeof(Uri) || Nullable.GetUnderlyingType(propertyType) is not null || typeof(IEnumerable).IsAssignableFrom(propertyType);
            if (simple)
            {
                if (property.CanWrite || typeof(IEnumerable).IsAssignableFrom(propertyType))
                {
                    yield return key;
                }
            }
            else
            {
                foreach (var nested in Keys(key, propertyType))
                {
                    yield return nested;
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ByokPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ByokPortal.sln not found above the test's folder.");
    }
}
