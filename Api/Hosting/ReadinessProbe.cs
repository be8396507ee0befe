namespace Api.Hosting;

/// <summary>
/// <c>dotnet Api.dll --probe [url]</c>: a readiness check for images without curl, wget or a shell.
/// It GETs the readiness endpoint and exits 0 on a 2xx answer, 1 otherwise. Program.cs calls it before any
/// host is built, so a probe costs one small process and one request.
/// </summary>
/// <remarks>
/// Without a URL it asks the port the server itself listens on, read from the same environment variables
/// Kestrel reads: the first <c>http://</c> address in <c>ASPNETCORE_URLS</c> (or <c>DOTNET_URLS</c>), which
/// takes precedence as it does for the server, else the first port in <c>ASPNETCORE_HTTP_PORTS</c>
/// (or <c>DOTNET_HTTP_PORTS</c>), else <see cref="EngineExtensions.DefaultPort"/>.
/// </remarks>
public static class ReadinessProbe
{
    public const string Argument = "--probe";

    public const string DefaultUrl = "http://localhost:8080" + HealthEndpoints.ReadyPath;

    public static Task<int> RunAsync(string? url) =>
        ProbeAsync(url ?? UrlFromEnvironment(Environment.GetEnvironmentVariable));

    /// <summary>The readiness URL of a server configured by <paramref name="environment"/>.</summary>
    public static string UrlFromEnvironment(Func<string, string?> environment)
    {
        string? urls = First(environment, "ASPNETCORE_URLS", "DOTNET_URLS");
        if (urls is not null)
        {
            foreach (string address in Split(urls))
            {
                if (TryParseHttpPort(address, out int port))
                {
                    return Local(port);
                }
            }
        }

        string? ports = First(environment, "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS");
        foreach (string port in Split(ports ?? ""))
        {
            if (int.TryParse(port, out int number) && number is > 0 and <= 65535)
            {
                return Local(number);
            }
        }

        return Local(EngineExtensions.DefaultPort);
    }

    private static async Task<int> ProbeAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url);
            Console.WriteLine($"{(int)response.StatusCode} {response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine(exception.Message);
            return 1;
        }
    }

    private static string? First(Func<string, string?> environment, params string[] names) =>
        names.Select(environment).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    private static string[] Split(string list) =>
        list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Kestrel's wildcard hosts (+, *) are not valid in a System.Uri; the port is all the probe needs.
    private static bool TryParseHttpPort(string address, out int port)
    {
        port = 0;
        const string scheme = "http://";
        if (!address.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string authority = address[scheme.Length..].Split('/', 2)[0];
        int colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.EndsWith(']'))
        {
            port = 80;
            return true;
        }

        return int.TryParse(authority[(colon + 1)..], out port) && port is > 0 and <= 65535;
    }

    private static string Local(int port) => $"http://localhost:{port}{HealthEndpoints.ReadyPath}";
}
