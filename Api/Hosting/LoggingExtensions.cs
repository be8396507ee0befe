namespace Api.Hosting;

/// <summary>How the service logs: one line per entry, each carrying the request and trace it belongs to.</summary>
public static class LoggingExtensions
{
    /// <summary>The value of <c>Logging:Format</c> that writes JSON lines, for log collectors.</summary>
    public const string JsonFormat = "json";

    /// <summary>
    /// The console logger writes each entry on one line with a UTC timestamp and its scopes, so that every line
    /// logged while a request is served names its <c>RequestId</c>, <c>RequestPath</c> and <c>TraceId</c>; with
    /// <c>Logging:Format=json</c>, as one JSON object per line with the same scopes. Request and image bytes are
    /// never logged.
    /// </summary>
    public static WebApplicationBuilder AddConsoleLogging(this WebApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration["Logging:Format"], JsonFormat, StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            return builder;
        }
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
