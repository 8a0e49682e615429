using ByokPortal.Persistence;
using ByokPortal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Core.Tests;

/// <summary>The portal with a <see cref="CommandRecorder"/> on its real SQLite context (EF Core's <c>ConfigureDbContext</c>).</summary>
public sealed class RecordingPortalFixture : PortalFixture
{
    public CommandRecorder Recorder { get; } = new();

    protected override void Configure(PortalAppFactory factory) =>
        factory.WithServices(services => services.ConfigureDbContext<SqlitePortalDbContext>(options => options.AddInterceptors(Recorder)));
}
