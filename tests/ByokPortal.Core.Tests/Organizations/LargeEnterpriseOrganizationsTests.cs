using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Organizations;

/// <summary>
/// An enterprise with 5,000 organizations: the Organizations page searches, sorts and pages in the database (a fixed number of queries,
/// one page of rows read), so it stays quick whatever the size. The query count is asserted, never the time.
/// </summary>
public sealed class LargeEnterpriseOrganizationsTests(RecordingPortalFixture fixture) : IClassFixture<RecordingPortalFixture>
{
    private const int OrganizationCount = 5_000;

    private static CancellationToken Ct => PortalFixture.Ct;

    [Fact]
    public async Task ListOrganizations_5000_PagesAndSortsInTheDatabaseWithAFixedNumberOfQueries()
    {
        await using (var db = await fixture.DbAsync())
        {
            var enterpriseId = await db.Enterprises.Where(e => e.Slug == "contoso").Select(e => e.Id).SingleAsync(Ct);
            var mia = await db.People.Where(p => p.Email == DemoSignIn.WebMember).Select(p => p.Id).SingleAsync(Ct);
            var seeded = Enumerable.Range(1, OrganizationCount)
                .Select(i => new Organization { EnterpriseId = enterpriseId, Slug = $"unit-{i:D4}", Name = $"Unit {i:D4}", CreatedAt = DateTimeOffset.UtcNow })
                .ToList();
            db.Organizations.AddRange(seeded);
            db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = seeded[4321].Id, PersonId = mia, Role = OrganizationRole.Owner, HandRole = OrganizationRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var query = fixture.Get<ListOrganizationsQuery>();
        fixture.Recorder.Start();
        var page = await query.ExecuteAsync(ada, "contoso", new OrganizationListRequest("unit-", OrganizationStatusFilter.Active, OrganizationSort.Owners, Descending: true, Page: 3, PageSize: 25), Ct);
        fixture.Recorder.Recording = false;

        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.Equal(OrganizationCount, page.Value.TotalCount);
        Assert.Equal(25, page.Value.Items.Count);
        Assert.True(fixture.Recorder.Commands.Count <= 6, $"{fixture.Recorder.Commands.Count} queries: " + string.Join("\n", fixture.Recorder.Commands.Select(c => c.Text)));
        Assert.Contains(fixture.Recorder.Commands, c => c.Text.Contains("LIMIT", StringComparison.Ordinal) && c.Text.Contains("ORDER BY", StringComparison.Ordinal));

        var first = await query.ExecuteAsync(ada, "contoso", new OrganizationListRequest("unit-", Sort: OrganizationSort.Owners, Descending: true, PageSize: 1), Ct);
        Assert.Equal(("unit-4322", 1), (first.Value.Items.Single().Slug, first.Value.Items.Single().Owners));
    }
}
