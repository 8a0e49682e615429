using System.Runtime.CompilerServices;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Snapshots;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// Each route's upstream address per gateway API, asked of the adapter once and kept beside the route for as long as its snapshot lives
/// (an address holds no secret: the credential goes in a header or a signature, never the URL).
/// </summary>
internal static class GatewayAddresses
{
    private static readonly ConditionalWeakTable<RuntimeRoute, Uri?[]> Known = [];
    private static readonly int ApiCount = Enum.GetValues<GatewayApi>().Length;

    public static Uri? Of(RuntimeRoute route, GatewayApi api)
    {
        if (!Known.TryGetValue(route, out var addresses))
        {
            addresses = Known.GetValue(route, static r =>
            {
                var all = new Uri?[ApiCount];
                for (var i = 0; i < all.Length; i++)
                {
                    all[i] = r.Key.Adapter!.GatewayAddress(r.Key.Connection!, (GatewayApi)i, r.ModelId);
                }

                return all;
            });
        }

        return addresses[(int)api];
    }
}
