using System.Text.Json.Nodes;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

/// <summary>
/// SCIM 2.0 provisioning at <c>/scim/v2</c> (RFC 7643/7644): Users, Groups and the discovery resources, for the enterprise whose SCIM
/// token is presented. Answers are <c>application/scim+json</c>; failures are SCIM error bodies.
/// </summary>
public static class ScimEndpoints
{
    public const string Prefix = "/scim/v2";

    public static IEndpointRouteBuilder MapScim(this IEndpointRouteBuilder endpoints)
    {
        var scim = endpoints.MapGroup(Prefix)
            .RequireAuthorization(ScimAuthentication.Policy)
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                try
                {
                    return await next(context);
                }
                catch (ScimProtocolException e)
                {
                    return ScimJson.Error(e.Status, e.ScimType, e.Message);
                }
            });

        scim.MapGet("/Users", ListUsersAsync);
        scim.MapPost("/Users", CreateUserAsync);
        scim.MapGet("/Users/{id}", GetUserAsync);
        scim.MapPut("/Users/{id}", ReplaceUserAsync);
        scim.MapPatch("/Users/{id}", PatchUserAsync);
        scim.MapDelete("/Users/{id}", DeleteUserAsync);

        scim.MapGet("/Groups", ListGroupsAsync);
        scim.MapPost("/Groups", CreateGroupAsync);
        scim.MapGet("/Groups/{id}", GetGroupAsync);
        scim.MapPut("/Groups/{id}", ReplaceGroupAsync);
        scim.MapPatch("/Groups/{id}", PatchGroupAsync);
        scim.MapDelete("/Groups/{id}", DeleteGroupAsync);

        scim.MapGet("/ServiceProviderConfig", (HttpContext context) => ScimJson.Resource(context, ScimDiscovery.ServiceProviderConfig(context)));
        scim.MapGet("/ResourceTypes", (HttpContext context) => ScimJson.Resource(context, ScimDiscovery.List(ScimDiscovery.ResourceTypes(context))));
        scim.MapGet("/ResourceTypes/{id}", (HttpContext context, string id) =>
            ScimDiscovery.ResourceTypes(context).FirstOrDefault(r => string.Equals(r["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase)) is { } type
                ? ScimJson.Resource(context, type)
                : ScimJson.Error(StatusCodes.Status404NotFound, null, $"Resource type {id} not found."));
        scim.MapGet("/Schemas", (HttpContext context) => ScimJson.Resource(context, ScimDiscovery.List(ScimDiscovery.Schemas(context))));
        scim.MapGet("/Schemas/{id}", (HttpContext context, string id) =>
            ScimDiscovery.Schemas(context).FirstOrDefault(r => string.Equals(r["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase)) is { } schema
                ? ScimJson.Resource(context, schema)
                : ScimJson.Error(StatusCodes.Status404NotFound, null, $"Schema {id} not found."));
        return endpoints;
    }

    private static string? Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private static Guid Id(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed : throw new ScimProtocolException(StatusCodes.Status404NotFound, null, $"Resource {id} not found.");

    private static bool ExcludesMembers(HttpRequest request) =>
        request.Query["excludedAttributes"].ToString().Split(',', StringSplitOptions.TrimEntries).Contains("members", StringComparer.OrdinalIgnoreCase);

    private static async Task<IResult> ListUsersAsync(HttpContext context, ListScimUsersQuery query)
    {
        var (startIndex, count) = ScimJson.Paging(context.Request);
        var result = await query.ExecuteAsync(context.User.Client(), ScimJson.ParseFilter(context.Request.Query["filter"]), startIndex, count, context.RequestAborted);
        return result.IsSuccess
            ? ScimJson.Resource(context, ScimJson.List(new ScimPage<JsonObject>(result.Value.TotalResults, result.Value.StartIndex, result.Value.Resources.Select(u => ScimJson.User(context, u)).ToList())))
            : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> GetUserAsync(HttpContext context, string id, GetScimUserQuery query)
    {
        var result = await query.ExecuteAsync(context.User.Client(), Id(id), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.User(context, result.Value)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, CreateScimUserCommand command)
    {
        var input = ScimJson.ParseUser(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), input, Address(context), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.User(context, result.Value), StatusCodes.Status201Created) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> ReplaceUserAsync(HttpContext context, string id, ReplaceScimUserCommand command)
    {
        var userId = Id(id);
        var input = ScimJson.ParseUser(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), userId, input, Address(context), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.User(context, result.Value)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> PatchUserAsync(HttpContext context, string id, PatchScimUserCommand command)
    {
        var userId = Id(id);
        var patch = ScimJson.ParseUserPatch(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), userId, patch, Address(context), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.User(context, result.Value)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> DeleteUserAsync(HttpContext context, string id, DeleteScimUserCommand command)
    {
        var result = await command.ExecuteAsync(context.User.Client(), Id(id), Address(context), context.RequestAborted);
        return result.IsSuccess ? TypedResults.NoContent() : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> ListGroupsAsync(HttpContext context, ListScimGroupsQuery query)
    {
        var (startIndex, count) = ScimJson.Paging(context.Request);
        var includeMembers = !ExcludesMembers(context.Request);
        var result = await query.ExecuteAsync(context.User.Client(), ScimJson.ParseFilter(context.Request.Query["filter"]), startIndex, count, includeMembers, context.RequestAborted);
        return result.IsSuccess
            ? ScimJson.Resource(context, ScimJson.List(new ScimPage<JsonObject>(result.Value.TotalResults, result.Value.StartIndex,
                result.Value.Resources.Select(g => ScimJson.Group(context, g, includeMembers)).ToList())))
            : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> GetGroupAsync(HttpContext context, string id, GetScimGroupQuery query)
    {
        var includeMembers = !ExcludesMembers(context.Request);
        var result = await query.ExecuteAsync(context.User.Client(), Id(id), includeMembers, context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.Group(context, result.Value, includeMembers)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> CreateGroupAsync(HttpContext context, CreateScimGroupCommand command)
    {
        var input = ScimJson.ParseGroup(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), input, Address(context), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.Group(context, result.Value), StatusCodes.Status201Created) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> ReplaceGroupAsync(HttpContext context, string id, ReplaceScimGroupCommand command)
    {
        var groupId = Id(id);
        var input = ScimJson.ParseGroup(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), groupId, input, Address(context), context.RequestAborted);
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.Group(context, result.Value)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> PatchGroupAsync(HttpContext context, string id, PatchScimGroupCommand command)
    {
        var groupId = Id(id);
        var patch = ScimJson.ParseGroupPatch(await ScimJson.ReadBodyAsync(context.Request));
        var result = await command.ExecuteAsync(context.User.Client(), groupId, patch, Address(context), context.RequestAborted);

        // RFC 7644 §3.5.2: 200 with the resource, or 204; Entra ID takes either. The resource lets a client see what it changed.
        return result.IsSuccess ? ScimJson.Resource(context, ScimJson.Group(context, result.Value)) : ScimJson.Failure(result.Error!);
    }

    private static async Task<IResult> DeleteGroupAsync(HttpContext context, string id, DeleteScimGroupCommand command)
    {
        var result = await command.ExecuteAsync(context.User.Client(), Id(id), Address(context), context.RequestAborted);
        return result.IsSuccess ? TypedResults.NoContent() : ScimJson.Failure(result.Error!);
    }
}
