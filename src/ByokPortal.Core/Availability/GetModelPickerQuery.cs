using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Availability;

/// <summary>One group of the model picker: the organization's own models under its name, or the enterprise's under the enterprise name.</summary>
public sealed record ModelPickerGroup(string Title, ModelSource Source, IReadOnlyList<AvailableModel> Models);

public sealed record ModelPicker(string OrganizationName, string EnterpriseName, IReadOnlyList<ModelPickerGroup> Groups)
{
    public int Count => Groups.Sum(g => g.Models.Count);
}

/// <summary>
/// The model picker: the models this person can use in the organization, computed by <see cref="ModelAvailability"/> (the same rule the
/// runtime API uses). The organization's own models come first; enterprise models at the bottom, under the enterprise name.
/// </summary>
public sealed class GetModelPickerQuery(IPortalDbContextFactory dbFactory)
{
    public async Task<Result<ModelPicker>> ExecuteAsync(Actor actor, string organizationSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == organizationSlug, cancellationToken);
        if (organization is null || await db.GetOrganizationAccessAsync(actor.PersonId, organization, cancellationToken) == OrganizationAccess.None)
        {
            return new NotFoundError();
        }

        var enterpriseName = await db.Enterprises.Where(e => e.Id == organization.EnterpriseId).Select(e => e.Name).SingleAsync(cancellationToken);
        var (context, candidates) = await AvailabilityLoader.LoadAsync(db, organization, null, cancellationToken);
        var available = ModelAvailability.Compute(context, candidates, AvailabilityView.Person);
        var groups = new List<ModelPickerGroup>();
        var own = available.Where(m => m.Source != ModelSource.Enterprise).ToList();
        if (own.Count > 0)
        {
            groups.Add(new ModelPickerGroup(organization.Name, ModelSource.Organization, own));
        }

        var enterprise = available.Where(m => m.Source == ModelSource.Enterprise).ToList();
        if (enterprise.Count > 0)
        {
            groups.Add(new ModelPickerGroup(enterpriseName, ModelSource.Enterprise, enterprise));
        }

        return new ModelPicker(organization.Name, enterpriseName, groups);
    }
}
