// A bare forwarder, the floor the gateway is measured against: every POST /v1/chat/completions goes to Upstream with one fixed key,
// through one pooled HttpClient handler, and the answer is streamed back. No authentication, policy, usage or guard.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var upstream = new Uri(app.Configuration["Upstream"] ?? throw new InvalidOperationException("Set Upstream, e.g. --Upstream=http://127.0.0.1:18080/v1/chat/completions"));
var key = app.Configuration["ProviderKey"] ?? "sk-bench";
using var client = new HttpMessageInvoker(new SocketsHttpHandler { UseCookies = false, UseProxy = false, AllowAutoRedirect = false });

app.MapPost("/v1/chat/completions", async (HttpContext context) =>
{
    using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new StreamContent(context.Request.Body) };
    request.Content.Headers.ContentLength = context.Request.ContentLength;
    request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
    using var response = await client.SendAsync(request, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    context.Response.ContentLength = response.Content.Headers.ContentLength;
    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
});

app.Run();
