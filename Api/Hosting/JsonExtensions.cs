namespace Api.Hosting;

/// <summary>The service's JSON settings.</summary>
public static class JsonExtensions
{
    /// <summary>Puts the build-time serialisation code of <see cref="ApiJsonContext"/> first in the HTTP JSON options.</summary>
    public static IServiceCollection AddGeneratedJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
}
