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
builder.AddEngine();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<EngineExceptionHandler>();
builder.Services.AddReadinessChecks();
builder.Services.AddApiDocumentation();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// The demo page at / (Api/wwwroot): draw a digit and see every activation's answer.
app.UseDefaultFiles();
app.UseStaticFiles();

app.UseApiDocumentation();
app.MapHealthEndpoints();
app.MapClassifyApi();
app.MapModelsApi();
app.MapActivationsApi();

await app.RunAsync();
return 0;

public partial class Program;
