using Api.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Api;

/// <summary>What every test host of the API needs.</summary>
public static class ApplicationExtensions
{
    /// <summary>A client, once model loading has finished (successfully or not).</summary>
    public static async Task<HttpClient> CreateLoadedClientAsync(this WebApplicationFactory<Program> application)
    {
        HttpClient client = application.CreateClient();
        await application.Services.GetRequiredService<ModelStore>().Completion.WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }
}
