namespace Api.Hosting;

/// <summary>
/// <c>dotnet Api.dll --probe [url]</c>: a container HEALTHCHECK that needs no curl or wget in the image.
/// It GETs the readiness endpoint and exits 0 on a 2xx answer, 1 otherwise.
/// </summary>
public static class ReadinessProbe
{
    public const string Argument = "--probe";

    public const string DefaultUrl = "http://localhost:8080" + HealthEndpoints.ReadyPath;

    public static async Task<int> RunAsync(string? url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url ?? DefaultUrl);
            Console.WriteLine($"{(int)response.StatusCode} {response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }
}
