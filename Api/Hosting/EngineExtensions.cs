using Api.Apis;
using Engine.Imaging;
using Engine.Inference;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>Registers the engine: options, image preprocessing and background model loading.</summary>
public static class EngineExtensions
{
    /// <summary>The port served when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor <c>ASPNETCORE_HTTP_PORTS</c> says otherwise.</summary>
    public const int DefaultPort = 8080;

    public static WebApplicationBuilder AddEngine(this WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;

        services.AddOptions<InferenceOptions>()
            .BindConfiguration(InferenceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<BatchingOptions>()
            .BindConfiguration(BatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ClassificationOptions>()
            .BindConfiguration(ClassificationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Kestrel refuses oversized bodies even if a handler forgets to check; the classify handler checks
        // too, so that clients get a ProblemDetails rather than a bare 413.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ClassificationOptions>>((kestrel, classification) =>
                kestrel.Limits.MaxRequestBodySize = classification.Value.MaxRequestBytes);

        services.AddSingleton(provider =>
        {
            ClassificationOptions classification = provider.GetRequiredService<IOptions<ClassificationOptions>>().Value;
            return new ImageLimits
            {
                MaxPixels = classification.MaxPixels,
                MaxSide = classification.MaxSide,
                DecodeTimeout = classification.DecodeTimeout,
            };
        });
        services.AddSingleton(provider => new DigitImagePreprocessor(provider.GetRequiredService<ImageLimits>()));

        services.AddSingleton<DigitClassifier>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelRepositoryService>();
        services.AddHostedService<ModelLoader>();
        return builder;
    }

    /// <summary>
    /// Serves on <see cref="DefaultPort"/> unless an address is configured. A default in appsettings.json
    /// would override <c>ASPNETCORE_URLS</c> (environment variables with that prefix load first), so it is set here.
    /// </summary>
    public static WebApplicationBuilder UseDefaultPort(this WebApplicationBuilder builder)
    {
        IConfiguration configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]))
        {
            builder.WebHost.UseUrls($"http://+:{DefaultPort}");
        }
        return builder;
    }
}
