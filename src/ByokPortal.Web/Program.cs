using ByokPortal.Web;
using ByokPortal.Web.Commands;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortal();

var app = builder.Build();
await app.InitializePortalAsync();
if (await app.RunPortalCommandAsync(args))
{
    return;
}

app.UsePortal();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
