using Api.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Api;

/// <summary>
/// The API on a real Kestrel socket (a browser cannot reach the in-memory TestServer), serving the
/// committed, trained models, so that a real digit gets its real label.
/// </summary>
public sealed class LiveServer : CommittedModelsApplication, IAsyncLifetime
{
    public LiveServer()
    {
        // Port 0: the OS picks a free one, so parallel test runs cannot collide.
        UseKestrel(0);
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>; set once started.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        StartServer();
        using HttpClient client = CreateClient();
        BaseAddress = client.BaseAddress!;
        ModelStore store = Services.GetRequiredService<ModelStore>();
        await store.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        using HttpResponseMessage ready = await client.GetAsync(HealthEndpoints.ReadyPath);
        if (!ready.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The live server is not ready ({(int)ready.StatusCode}): {await ready.Content.ReadAsStringAsync()}");
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
