using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Tests.Api;

/// <summary>The API serving the committed, trained models, as the service runs by default.</summary>
public class CommittedModelsApplication : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Inference:ModelsDirectory", RepositoryFiles.ModelsDirectory);
        builder.UseSetting("Inference:Device", "cpu");
    }
}
