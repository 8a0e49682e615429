using ByokPortal.Secrets.KeyRing;

namespace ByokPortal.Gateway;

/// <summary>The entry point of the lean runtime host (also the type tests start it by).</summary>
public static class GatewayProgram
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddGateway();
        var app = builder.Build();
        await app.Services.LoadKeyRingCertificatesAsync(app.Lifetime.ApplicationStopping);
        app.UseGateway();
        await app.RunAsync();
    }
}
