using Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Api;

/// <summary>The API serving the committed, trained models, as the service runs by default.</summary>
public class CommittedModelsApplication : WebApplicationFactory<Program>
{
    /// <summary>A client, once the models are loaded.</summary>
    public async Task<HttpClient> CreateLoadedClientAsync()
    {
        HttpClient client = CreateClient();
        await Services.GetRequiredService<ModelStore>().Completion.WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Inference:ModelsDirectory", RepositoryFiles.ModelsDirectory);
        builder.UseSetting("Inference:Device", "cpu");
    }
}
