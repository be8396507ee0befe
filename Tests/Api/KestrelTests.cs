using System.Net.Sockets;
using Api.Hosting;

namespace Tests.Api;

/// <summary>Tests that need a real socket: the container's readiness probe.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task Probe_Exits0_AgainstAReadyServer_And1_WhenNothingAnswers()
    {
        await using var app = new ApiApplication();
        app.UseKestrel(0);
        app.StartServer();
        HttpClient client = await app.CreateLoadedClientAsync();
        Uri ready = new(client.BaseAddress!, HealthEndpoints.ReadyPath);

        int whenReady = await ReadinessProbe.RunAsync(ready.ToString());
        int whenClosed = await ReadinessProbe.RunAsync($"http://127.0.0.1:{UnusedPort()}{HealthEndpoints.ReadyPath}");

        Assert.Equal(0, whenReady);
        Assert.Equal(1, whenClosed);
    }

    [Fact]
    public async Task Probe_Exits1_WhileNotReady()
    {
        await using ApiApplication app = ApiApplication.NeverLoading();
        app.UseKestrel(0);
        app.StartServer();
        HttpClient client = app.CreateClient();

        int exitCode = await ReadinessProbe.RunAsync(new Uri(client.BaseAddress!, HealthEndpoints.ReadyPath).ToString());

        Assert.Equal(1, exitCode);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
