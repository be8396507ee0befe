using Api.Apis;
using Api.Errors;
using Api.Hosting;

// The container's HEALTHCHECK: `dotnet Api.dll --probe` GETs /health/ready and exits 0 or 1.
if (args is [ReadinessProbe.Argument, ..])
{
    return await ReadinessProbe.RunAsync(args.ElementAtOrDefault(1));
}

var builder = WebApplication.CreateBuilder(args);

builder.UseDefaultPort();
builder.AddConsoleLogging();
builder.AddEngine();
builder.AddTelemetry();
builder.Services.AddGeneratedJson();
// Registered before AddProblemDetails: the first writer that can write a problem writes it.
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemWriter>();
builder.Services.AddProblemDetails();
builder.Services.AddStatusCodeProblems();
builder.Services.AddExceptionHandler<EngineExceptionHandler>();
builder.Services.AddSecurityHeaders();
builder.Services.AddRequestLimits();
builder.Services.AddClientRateLimiting();
builder.Services.AddReadinessChecks();
builder.Services.AddApiDocumentation();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseRequestLimits();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseClientRateLimiting();

// The demo page at / (Api/wwwroot): draw a digit and see every activation's answer.
app.UseDefaultFiles();
app.UseStaticFiles();

app.UseApiDocumentation();
app.MapHealthEndpoints();
app.MapTelemetry();
app.MapClassifyApi();
app.MapModelsApi();
app.MapActivationsApi();
app.MapInferenceProtocolApi();
app.MapRepositoryApi();

await app.RunAsync();
return 0;

public partial class Program;
