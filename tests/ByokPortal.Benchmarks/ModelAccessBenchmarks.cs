using ByokPortal.Core.Access;
using BenchmarkDotNet.Attributes;
using ByokPortal.Core;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Benchmarks;

/// <summary>
/// The model access modal of an enterprise with 5,000 organizations, on a real SQLite file (migrated and seeded by the portal's own
/// initializer, WAL mode): loading it (<see cref="GetModelSettingsQuery"/>: the model, its grants and every organization) and saving
/// one more or one fewer organization (<see cref="SaveModelSettingsCommand"/>) with 4,999 already granted.
/// </summary>
[MemoryDiagnoser]
public class ModelAccessBenchmarks
{
    public const int OrganizationCount = 5_000;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private string _dataDirectory = "";
    private IHost _host = default!;
    private IPortalDbContextFactory _dbFactory = default!;
    private Actor _owner = default!;
    private Guid _modelId;
    private List<Guid> _granted = [];
    private Guid _toggled;
    private bool _toggledIsGranted;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"byokportal-bench-{Guid.NewGuid():N}");
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:DataDirectory"] = _dataDirectory });
        builder.AddPortalCore();
        builder.AddPortalPersistence();
        _host = builder.Build();
        await _host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, CancellationToken.None);
        _dbFactory = _host.Services.GetRequiredService<IPortalDbContextFactory>();

        await using var db = await _dbFactory.CreateAsync();
        var enterpriseId = await db.Enterprises.Where(e => e.Slug == "contoso").Select(e => e.Id).SingleAsync();
        var owner = await db.People.SingleAsync(p => p.Email == "ada@contoso.test");
        _owner = new Actor(owner.Id, owner.Email, "127.0.0.1");
        var now = DateTimeOffset.UtcNow;
        var organizations = Enumerable.Range(1, OrganizationCount)
            .Select(i => new Organization { EnterpriseId = enterpriseId, Slug = $"team-{i:D4}", Name = $"Team {i:D4}", CreatedAt = now })
            .ToList();
        db.Organizations.AddRange(organizations);
        var key = new ProviderKey
        {
            EnterpriseId = enterpriseId,
            Scope = ProviderKey.EnterpriseScope,
            Name = "Benchmark key",
            NormalizedName = ProviderKey.NormalizeName("Benchmark key"),
            Provider = ProviderKind.OpenAI,
            BaseUrl = "https://api.openai.com/v1",
            MaskedHint = ProviderKey.NoKeyHint,
            CreatedById = owner.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var model = new CustomModel { ProviderKeyId = key.Id, EnterpriseId = enterpriseId, ModelId = "gpt-4o", CreatedAt = now, UpdatedAt = now };
        db.ProviderKeys.Add(key);
        db.CustomModels.Add(model);
        _granted = organizations.Take(OrganizationCount - 1).Select(o => o.Id).ToList();
        db.ModelAccessGrants.AddRange(_granted.Select(id => new ModelAccessGrant { CustomModelId = model.Id, OrganizationId = id }));
        await db.SaveChangesAsync();
        _modelId = model.Id;
        _toggled = organizations[^1].Id;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Opening the access modal: the model, its 4,999 or 5,000 grants and the 5,003 organizations to choose from.</summary>
    [Benchmark]
    public async Task<int> LoadAccessModal()
    {
        using var scope = _host.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<GetModelSettingsQuery>().ExecuteAsync(_owner, Contoso, _modelId, CancellationToken.None);
        return result.Value.Organizations.Count;
    }

    /// <summary>
    /// Checking or unchecking one organization and saving (the stored grants are diffed; one INSERT or DELETE, the model row and an
    /// audit event, in one transaction). Includes reading the model's current version, as the modal holds it from its load.
    /// </summary>
    [Benchmark]
    public async Task<int> SaveOneGrantChange()
    {
        Guid version;
        await using (var db = await _dbFactory.CreateAsync())
        {
            version = await db.CustomModels.Where(m => m.Id == _modelId).Select(m => m.Version).SingleAsync();
        }

        var input = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = version };
        foreach (var id in _granted)
        {
            input.OrganizationIds.Add(id);
        }

        _toggledIsGranted = !_toggledIsGranted;
        if (_toggledIsGranted)
        {
            input.OrganizationIds.Add(_toggled);
        }

        using var scope = _host.Services.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<SaveModelSettingsCommand>().ExecuteAsync(_owner, Contoso, _modelId, input, CancellationToken.None);
        if (!saved.IsSuccess || saved.Value.Added + saved.Value.Removed != 1)
        {
            throw new InvalidOperationException($"The save did not change exactly one grant: {saved.Error?.Message}");
        }

        return saved.Value.GrantCount;
    }
}
