using System.Net;
using System.Text;
using ByokPortal.Core.Usage;
using ByokPortal.Runtime.Usage;
using ByokPortal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Tests.Usage;

/// <summary>Every resolution and gateway call becomes one usage row (with the tokens the provider reported), written off the request path.</summary>
public sealed class UsageRecordingTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task Calls_ProduceOneUsageRowEachWithTheReportedTokens_AndTheApiKeysLastUse()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("Usage " + model, [model]);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);

        string Chat(bool stream) => $"{{\"model\":\"{model}\",\"stream\":{(stream ? "true" : "false")},\"stream_options\":{{\"include_usage\":true}},\"messages\":[]}}";
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/chat/completions", Chat(stream: false))).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/chat/completions", Chat(stream: false))).Status);
        using (var streamed = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), new StringContent(Chat(stream: true), Encoding.UTF8, "application/json"), RuntimeFixture.Ct))
        {
            Assert.Contains("[DONE]", await streamed.Content.ReadAsStringAsync(RuntimeFixture.Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/embeddings", $"{{\"model\":\"{model}\",\"input\":\"hi\"}}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.ResolveAsync(model)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.ResolveAsync("no-such-model")).Status);
        await fixture.FlushUsageAsync();

        await using var db = await fixture.DbAsync();
        // Rows are written in batches, not necessarily in call order.
        var rows = await db.UsageRecords.AsNoTracking().Where(u => u.ApiKeyId == app.Id).ToListAsync(RuntimeFixture.Ct);
        rows = rows.OrderBy(r => r.Operation).ThenBy(r => r.StatusCode).ToList();
        Assert.Equal(
            [
                (UsageOperation.Resolve, 200, (int?)null, (int?)null, (Guid?)key.KeyId, model),
                (UsageOperation.Resolve, 404, null, null, null, "no-such-model"),
                (UsageOperation.ChatCompletions, 200, 11, 7, key.KeyId, model),
                (UsageOperation.ChatCompletions, 200, 11, 7, key.KeyId, model),
                (UsageOperation.ChatCompletions, 200, 11, 7, key.KeyId, model),
                (UsageOperation.Embeddings, 200, 11, null, key.KeyId, model),
            ],
            rows.Select(r => (r.Operation, r.StatusCode, r.PromptTokens, r.CompletionTokens, r.ProviderKeyId, r.ModelId)));
        Assert.All(rows, r => Assert.Equal(UsageRecord.HourOf(r.OccurredAt), r.Hour));
        var organizationId = await fixture.OrganizationIdAsync("contoso-web");
        Assert.All(rows, r => Assert.Equal(organizationId, r.OrganizationId));
        var lastUsed = await db.OrganizationApiKeys.AsNoTracking().Where(k => k.Id == app.Id).Select(k => k.LastUsedAt).SingleAsync(RuntimeFixture.Ct);
        Assert.NotNull(lastUsed);
        Assert.DoesNotContain(fixture.StandIn.AcceptedKey, string.Join('|', rows.Select(r => r.ModelId)), StringComparison.Ordinal);

        // What the usage charts read: the same calls, summed per hour, provider key and model, in the same transaction as the rows.
        var totals = await db.UsageHours.AsNoTracking().Where(u => u.ApiKeyId == app.Id).ToListAsync(RuntimeFixture.Ct);
        Assert.Equal(
            rows.GroupBy(r => (r.Hour, r.ProviderKeyId ?? UsageHour.NoProviderKey, r.ModelId))
                .Select(g => (g.Key.Hour, g.Key.Item2, g.Key.ModelId, (long)g.Count(), (long)g.Count(r => r.IsError), g.Sum(r => (long)(r.PromptTokens ?? 0)), g.Sum(r => (long)(r.CompletionTokens ?? 0))))
                .Order(),
            totals.Select(t => (t.Hour, t.ProviderKeyId, (string?)t.ModelId, t.Requests, t.Errors, t.PromptTokens, t.CompletionTokens)).Order());
    }
}

public sealed class TinyUsageQueueFixture : RuntimeFixture
{
    protected override void Configure(PortalAppFactory factory) => factory
        .WithSetting("Portal:Runtime:Usage:QueueCapacity", "2")
        .WithSetting("Portal:Runtime:Usage:BatchSize", "1")
        .WithSetting("Portal:Runtime:Usage:FlushInterval", "00:00:00.010");
}

/// <summary>When usage cannot be written as fast as calls come (the database is stuck), calls are still served; the drop is counted.</summary>
public sealed class UsageQueueFullTests(TinyUsageQueueFixture fixture) : IClassFixture<TinyUsageQueueFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task FullQueue_CallsAreStillServed_AndTheDropIsCountedAndLogged()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Busy " + model, [model]);
        await fixture.RefreshAsync();
        var recorder = fixture.Factory.Services.GetRequiredService<UsageRecorder>();
        var droppedBefore = recorder.Dropped;

        // Another process holds the database's write lock: the usage writer waits, its queue fills up.
        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(fixture.Factory.DataDirectory, "portal.db")}");
        await blocker.OpenAsync(RuntimeFixture.Ct);
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync(RuntimeFixture.Ct);
        }

        var statuses = new List<HttpStatusCode>();
        try
        {
            var client = fixture.Client(app.Token);
            for (var i = 0; i < 10; i++)
            {
                statuses.Add((await client.ResolveAsync(model)).Status);
            }
        }
        finally
        {
            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(RuntimeFixture.Ct);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(recorder.Dropped - droppedBefore >= 5, $"dropped {recorder.Dropped - droppedBefore}");
        Assert.Contains("The usage queue is full", fixture.Factory.Logs.AllText, StringComparison.Ordinal);
    }
}

public sealed class SlowFlushUsageFixture : RuntimeFixture
{
    protected override void Configure(PortalAppFactory factory) => factory
        .WithSetting("Portal:Runtime:Usage:BatchSize", "1000")
        .WithSetting("Portal:Runtime:Usage:FlushInterval", "00:10:00");
}

/// <summary>Calls in the batch the usage writer is still filling when the runtime stops are written before it stops, not lost.</summary>
public sealed class UsageAtShutdownTests(SlowFlushUsageFixture fixture) : IClassFixture<SlowFlushUsageFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task Stopping_WritesTheCallsOfTheBatchBeingFilled()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Shutdown " + model, [model]);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.ResolveAsync(model)).Status);
        }

        // The writer has taken the calls into its batch, which it would write ten minutes from now.
        await Task.Delay(TimeSpan.FromMilliseconds(500), RuntimeFixture.Ct);
        var lifetime = fixture.Factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30), RuntimeFixture.Ct);

        await using var db = await fixture.DbAsync();
        Assert.Equal(3, await db.UsageRecords.CountAsync(u => u.ApiKeyId == app.Id, RuntimeFixture.Ct));
    }
}
