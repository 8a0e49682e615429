using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ByokPortal.Providers.Outbound;

public static class OutboundSetup
{
    /// <summary>
    /// <see cref="OutboundOptions"/> from "Portal:Outbound" (checked at start) and the <see cref="OutboundGuard"/> singleton whose
    /// <see cref="OutboundGuard.CreateHandler"/> every outbound <see cref="HttpClient"/> uses as its primary handler. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddPortalOutbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(OutboundGuard)))
        {
            return services;
        }

        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>());
        services.AddSingleton<OutboundGuard>();
        return services;
    }
}
