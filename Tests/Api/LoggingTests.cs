using System.Collections.Concurrent;
using System.Net;
using Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Tests.Api;

/// <summary>
/// What the service logs: every line written while a request is served names that request, and a failing
/// readiness probe writes nothing at Warning or above (the model loader reports a failure once).
/// </summary>
public sealed class LoggingTests(ApiApplication app) : IClassFixture<ApiApplication>
{
    [Fact]
    public async Task EveryLineLoggedForARequest_CarriesItsRequestId()
    {
        var recorder = new RecordingLoggerProvider();
        // Debug everywhere, so that routing, hosting and the API itself all write lines during the request.
        using WebApplicationFactory<Program> recorded = Recorded(app, recorder, builder => builder
            .UseSetting("Logging:LogLevel:Default", "Debug")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug"));
        HttpClient client = await recorded.CreateLoadedClientAsync();

        List<LogRecord> first = await RecordRequestAsync(recorder, client, "/v1/models/first-unknown-model");
        List<LogRecord> second = await RecordRequestAsync(recorder, client, "/v1/models/second-unknown-model");

        Assert.True(first.Count >= 3, $"Only {first.Count} lines were logged during the request.");
        string? firstId = first[0].RequestId;
        Assert.False(string.IsNullOrEmpty(firstId));
        Assert.All(first, record => Assert.True(record.RequestId == firstId, $"No request id {firstId} on: {record}"));
        Assert.All(first, record => Assert.Equal("/v1/models/first-unknown-model", record.Scope("RequestPath")));
        Assert.Contains(first, record => record.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        Assert.Contains(first, record => record.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        string? secondId = second[0].RequestId;
        Assert.All(second, record => Assert.Equal(secondId, record.RequestId));
        Assert.NotEqual(firstId, secondId);
    }

    [Fact]
    public async Task TheConsoleWritesOneLinePerEntry_WithTheRequestScope()
    {
        var recorder = new RecordingLoggerProvider();
        using WebApplicationFactory<Program> recorded = Recorded(app, recorder, builder =>
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"));
        HttpClient client = await recorded.CreateLoadedClientAsync();
        List<LogRecord> lines = await RecordRequestAsync(recorder, client, "/health/live");
        LogRecord requestStarting = lines.First(record => record.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        ConsoleFormatter formatter = recorded.Services.GetServices<ConsoleFormatter>()
            .Single(f => f.Name == recorded.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var scopes = new LoggerExternalScopeProvider();
        var disposables = requestStarting.Scopes.Select(scope => scopes.Push(scope)).ToList();
        using var output = new StringWriter();

        formatter.Write(
            new LogEntry<string>(requestStarting.Level, requestStarting.Category, default, requestStarting.Message, null, (message, _) => message),
            scopes,
            output);
        disposables.ForEach(d => d.Dispose());

        string written = output.ToString();
        Assert.EndsWith(Environment.NewLine, written);
        Assert.DoesNotContain('\n', written.TrimEnd());
        Assert.Contains($"RequestId:{requestStarting.RequestId}", written);
        Assert.Contains("RequestPath:/health/live", written);
        Assert.Contains(requestStarting.Message, written);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", written);
    }

    [Fact]
    public async Task WithTheJsonFormat_EachEntryIsOneJsonObjectWithTheRequestScope()
    {
        var recorder = new RecordingLoggerProvider();
        using WebApplicationFactory<Program> recorded = Recorded(app, recorder, builder => builder
            .UseSetting("Logging:Format", "json")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"));
        HttpClient client = await recorded.CreateLoadedClientAsync();
        List<LogRecord> lines = await RecordRequestAsync(recorder, client, "/health/live");
        LogRecord requestStarting = lines.First(record => record.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        string formatterName = recorded.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName!;
        ConsoleFormatter formatter = recorded.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == formatterName);
        var scopes = new LoggerExternalScopeProvider();
        var disposables = requestStarting.Scopes.Select(scope => scopes.Push(scope)).ToList();
        using var output = new StringWriter();

        formatter.Write(
            new LogEntry<string>(requestStarting.Level, requestStarting.Category, default, requestStarting.Message, null, (message, _) => message),
            scopes,
            output);
        disposables.ForEach(d => d.Dispose());

        Assert.Equal("json", formatterName);
        string written = output.ToString().TrimEnd();
        Assert.DoesNotContain('\n', written);
        using var json = System.Text.Json.JsonDocument.Parse(written);
        Assert.Equal(requestStarting.Message, json.RootElement.GetProperty("Message").GetString());
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(),
            scope => scope.TryGetProperty("RequestId", out System.Text.Json.JsonElement id) && id.GetString() == requestStarting.RequestId);
    }

    [Fact]
    public async Task FailingReadinessProbes_LogNothingAtWarningOrAbove()
    {
        await using ApiApplication loading = ApiApplication.NeverLoading();
        var recorder = new RecordingLoggerProvider();
        using WebApplicationFactory<Program> recorded = Recorded(loading, recorder);
        HttpClient client = recorded.CreateClient();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ready = await client.GetAsync(HealthEndpoints.ReadyPath);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        Assert.DoesNotContain(recorder.Records, record => record.Level >= LogLevel.Warning);
        // The recorder does see what the configuration lets through: the host's start-up lines.
        Assert.NotEmpty(recorder.Records);
    }

    [Fact]
    public async Task AfterLoadingFailed_ProbesAddNothingAtWarningOrAbove()
    {
        await using ApiApplication failed = ApiApplication.WithMissingModels();
        var recorder = new RecordingLoggerProvider();
        using WebApplicationFactory<Program> recorded = Recorded(failed, recorder);
        HttpClient client = await recorded.CreateLoadedClientAsync();
        int beforeProbes = recorder.Records.Count(record => record.Level >= LogLevel.Warning);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ready = await client.GetAsync(HealthEndpoints.ReadyPath);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        Assert.Equal(beforeProbes, recorder.Records.Count(record => record.Level >= LogLevel.Warning));
    }

    private static WebApplicationFactory<Program> Recorded(
        WebApplicationFactory<Program> application, RecordingLoggerProvider recorder, Action<IWebHostBuilder>? configure = null) =>
        application.WithWebHostBuilder(builder =>
        {
            builder.ConfigureLogging(logging => logging.AddProvider(recorder));
            configure?.Invoke(builder);
        });

    /// <summary>The lines logged while <paramref name="path"/> was served.</summary>
    private static async Task<List<LogRecord>> RecordRequestAsync(RecordingLoggerProvider recorder, HttpClient client, string path)
    {
        recorder.Clear();
        using HttpResponseMessage response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        // The host logs "Request finished" as the response completes, which the client may see first.
        for (int wait = 0; wait < 100 && !recorder.Records.Any(r => r.Message.Contains("Request finished", StringComparison.Ordinal)); wait++)
        {
            await Task.Delay(10);
        }
        return recorder.Records.ToList();
    }

    /// <summary>One logged entry with the scopes that were open when it was written.</summary>
    private sealed record LogRecord(string Category, LogLevel Level, string Message, IReadOnlyList<object?> Scopes)
    {
        public string? RequestId => Scope("RequestId") as string;

        public object? Scope(string name) => Scopes
            .OfType<IEnumerable<KeyValuePair<string, object?>>>()
            .SelectMany(pairs => pairs)
            .Where(pair => pair.Key == name)
            .Select(pair => pair.Value)
            .LastOrDefault();

        public override string ToString() => $"{Level} {Category}: {Message} [{string.Join(" => ", Scopes)}]";
    }

    /// <summary>An in-memory logger provider that keeps every entry with its scopes.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<LogRecord> records = new();
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public IReadOnlyCollection<LogRecord> Records => records;

        public void Clear() => records.Clear();

        public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                List<object?> open = [];
                provider.scopes.ForEachScope((scope, list) => list.Add(scope), open);
                provider.records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), open));
            }
        }
    }
}
