namespace Api.Hosting;

/// <summary>How the service logs: one line per entry, each carrying the request it belongs to.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// The console logger writes each entry on one line, prefixed with a UTC timestamp and its scopes, so that every
    /// line logged while a request is served names its <c>RequestId</c>, <c>RequestPath</c> and <c>TraceId</c>.
    /// </summary>
    public static WebApplicationBuilder AddConsoleLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(options =>
        {
            options.IncludeScopes = true;
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        return builder;
    }
}
