using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Availability;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Persistence.Seeding;

/// <summary>
/// A benchmark fixture, not a use case: fills the database with one enterprise at the scale of issue 8 (5,000 organizations, 300 provider
/// keys with their secrets in the real secret store, 3,000 models, 100,000 grants, 20,000 people, 10,000 API keys), quickly. It writes rows
/// in bulk (<see cref="PortalDbContext.BulkInsertAsync"/>), without audit events, in one transaction that also renews the enterprise's policy version.
/// Deterministic except for the API key tokens and IDs.
/// Shape: enterprise models of the first two keys are allowed for all organizations, the others are granted per organization; every tenth
/// organization uses "Only select models" (half of its models switched on); the organizations that own a key serve one model ID that is
/// also an enterprise model (their own key wins), and every other one of those keys is assigned to the organization's first API key only.
/// One API key in a hundred is revoked and one in a hundred has expired.
/// </summary>
public sealed partial class ScaleSeeder(IServiceProvider services, ISecretStore secrets, TimeProvider time, ILogger<ScaleSeeder> logger)
{
    public async Task<ScaleSeedResult> SeedAsync(ScaleShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        await using (var check = services.CreatePortalDbContext())
        {
            if (await check.Enterprises.AnyAsync(e => e.Slug == shape.EnterpriseSlug, cancellationToken))
            {
                throw new InvalidOperationException($"The database already has an enterprise '{shape.EnterpriseSlug}': seed an empty data directory.");
            }
        }

        var enterprise = new Enterprise { Slug = shape.EnterpriseSlug, Name = "Scale", CreatedAt = now };
        var owner = NewPerson(0, now);
        var organizations = Enumerable.Range(0, shape.Organizations)
            .Select(i => new Organization
            {
                EnterpriseId = enterprise.Id,
                Slug = OrganizationSlug(shape, i),
                Name = $"Scale Team {i:D4}",
                ModelsPermission = i % 10 == 9 ? ModelsPermission.OnlySelectModels : ModelsPermission.AllPublishers,
                CreatedAt = now,
            })
            .ToList();

        // The enterprise, its owner, its keys and models.
        var enterpriseKeys = new List<ProviderKey>();
        var enterpriseModels = new List<CustomModel>();
        for (var k = 0; k < shape.EnterpriseKeys; k++)
        {
            var key = await NewKeyAsync(shape, enterprise.Id, null, $"Enterprise key {k:D3}", owner.Id, now, cancellationToken);
            enterpriseKeys.Add(key);
            for (var m = 0; m < shape.ModelsPerKey; m++)
            {
                enterpriseModels.Add(new CustomModel
                {
                    ProviderKeyId = key.Id,
                    EnterpriseId = enterprise.Id,
                    ModelId = EnterpriseModelId(k, m),
                    AccessMode = enterpriseModels.Count < shape.AllOrganizationsModels ? ModelAccessMode.AllOrganizations : ModelAccessMode.ChoosePerOrganization,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }

        await using (var db = services.CreatePortalDbContext())
        {
            db.Enterprises.Add(enterprise);
            db.People.Add(owner);
            db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = owner.Id, Role = EnterpriseRole.Owner, CreatedAt = now });
            db.ProviderKeys.AddRange(enterpriseKeys);
            db.CustomModels.AddRange(enterpriseModels);
            await db.SaveChangesAsync(cancellationToken);
        }

        var perOrganization = enterpriseModels.Skip(shape.AllOrganizationsModels).ToList();
        var allOrganizations = enterpriseModels.Take(shape.AllOrganizationsModels).ToList();
        var organizationKeys = shape.ProviderKeys - shape.EnterpriseKeys;
        var samples = new List<ScaleToken>();
        var rows = new ScaleRows();
        foreach (var (organization, index) in organizations.Select((o, i) => (o, i)))
        {
            rows.Organizations.Add(organization);
            var people = Enumerable.Range(0, shape.PeoplePerOrganization)
                .Select(r => index == 0 && r == 0 ? owner : NewPerson((index * shape.PeoplePerOrganization) + r, now))
                .ToList();
            foreach (var (person, r) in people.Select((p, r) => (p, r)))
            {
                if (!ReferenceEquals(person, owner))
                {
                    rows.People.Add(person);
                    rows.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = person.Id, Role = EnterpriseRole.Member, CreatedAt = now });
                }

                rows.OrganizationMemberships.Add(new OrganizationMembership
                {
                    OrganizationId = organization.Id, PersonId = person.Id, Role = r == 0 ? OrganizationRole.Owner : OrganizationRole.Member, CreatedAt = now,
                });
            }

            var apiKeys = new List<OrganizationApiKey>();
            for (var a = 0; a < shape.ApiKeysPerOrganization; a++)
            {
                var serial = (index * shape.ApiKeysPerOrganization) + a;
                var (token, prefix, hash) = ApiKeyToken.Create();
                var apiKey = new OrganizationApiKey
                {
                    OrganizationId = organization.Id,
                    Name = $"Application {a + 1}",
                    Prefix = prefix,
                    SecretHash = hash,
                    CreatedById = people[0].Id,
                    CreatedAt = now,
                    RevokedAt = serial % 100 == 98 ? now : null,
                    RevokedById = serial % 100 == 98 ? people[0].Id : null,
                    ExpiresAt = serial % 100 == 99 ? now.AddDays(-1) : null,
                };
                apiKeys.Add(apiKey);
                if (samples.Count < shape.SampleTokens && index >= organizationKeys && organization.ModelsPermission == ModelsPermission.AllPublishers
                    && apiKey.RevokedAt is null && apiKey.ExpiresAt is null && allOrganizations.Count > 0)
                {
                    samples.Add(new ScaleToken(token, allOrganizations[samples.Count % allOrganizations.Count].ModelId, organization.Slug));
                }
            }

            rows.ApiKeys.AddRange(apiKeys);

            var granted = perOrganization.Count == 0
                ? []
                : Enumerable.Range(0, Math.Min(shape.GrantsPerOrganization, perOrganization.Count))
                    .Select(g => perOrganization[(index + (g * Math.Max(1, perOrganization.Count / shape.GrantsPerOrganization))) % perOrganization.Count])
                    .Distinct()
                    .ToList();
            rows.Grants.AddRange(granted.Select(m => new ModelAccessGrant { CustomModelId = m.Id, OrganizationId = organization.Id }));

            if (organization.ModelsPermission == ModelsPermission.OnlySelectModels)
            {
                rows.Settings.AddRange(allOrganizations.Concat(granted).Select((m, i) => new OrganizationModelSetting
                {
                    OrganizationId = organization.Id,
                    CustomModelId = m.Id,
                    Enabled = i % 2 == 0,
                    UpdatedAt = now,
                }));
            }

            if (index < organizationKeys)
            {
                var key = await NewKeyAsync(shape, enterprise.Id, organization.Id, "Team key", people[0].Id, now, cancellationToken);
                key.AssignedToEntireOrganization = index % 2 == 0;
                rows.Keys.Add(key);
                for (var m = 0; m < shape.ModelsPerKey; m++)
                {
                    rows.Models.Add(new CustomModel
                    {
                        ProviderKeyId = key.Id,
                        EnterpriseId = enterprise.Id,
                        OrganizationId = organization.Id,

                        // The last model has the ID of an enterprise model this organization may use: its own key serves it.
                        ModelId = m == shape.ModelsPerKey - 1 && allOrganizations.Count > 0
                            ? allOrganizations[index % allOrganizations.Count].ModelId
                            : $"scale-o{index:D4}-m{m}",
                        CreatedAt = now,
                        UpdatedAt = now,
                    });
                }

                if (!key.AssignedToEntireOrganization)
                {
                    rows.Assignments.Add(new ProviderKeyAssignment { ProviderKeyId = key.Id, ApiKeyId = apiKeys[0].Id });
                }
            }
        }

        await using (var db = services.CreatePortalDbContext())
        {
            // Rows written in bulk bypass SaveChanges; one transaction, parent tables first...
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.BulkInsertAsync(rows.Organizations, ct);
                await db.BulkInsertAsync(rows.People, ct);
                await db.BulkInsertAsync(rows.EnterpriseMemberships, ct);
                await db.BulkInsertAsync(rows.OrganizationMemberships, ct);
                await db.BulkInsertAsync(rows.Keys, ct);
                await db.BulkInsertAsync(rows.Models, ct);
                await db.BulkInsertAsync(rows.ApiKeys, ct);
                await db.BulkInsertAsync(rows.Assignments, ct);
                await db.BulkInsertAsync(rows.Grants, ct);
                await db.BulkInsertAsync(rows.Settings, ct);

                // ...so the enterprise's policy version is renewed here, as a save would have done: a running runtime rebuilds it.
                var version = await db.PolicyVersions.SingleOrDefaultAsync(v => v.EnterpriseId == enterprise.Id, ct);
                if (version is null)
                {
                    db.PolicyVersions.Add(new PolicyVersion { EnterpriseId = enterprise.Id, ChangedAt = time.GetUtcNow() });
                }
                else
                {
                    version.Version = Guid.NewGuid();
                    version.ChangedAt = time.GetUtcNow();
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }

        var result = new ScaleSeedResult(enterprise.Id, samples, time.GetElapsedTime(started));
        LogSeeded(logger, shape.EnterpriseSlug, shape.Organizations, shape.ProviderKeys, result.Duration.TotalSeconds);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scale data seeded: enterprise '{Slug}' with {Organizations} organizations and {Keys} provider keys in {Seconds:F1} s.")]
    private static partial void LogSeeded(ILogger logger, string slug, int organizations, int keys, double seconds);
}
