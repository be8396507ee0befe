using System.Text.Json;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Training.Data;

namespace Tests.Api;

/// <summary>
/// Swagger UI in headless Chromium against the API on a real socket: the page renders the document, and
/// "Try it out" on POST /v1/classify sends a real MNIST digit and shows the model's answer.
/// </summary>
/// <remarks>
/// Needs a Chromium at <c>/usr/bin/chromium</c> (Debian's <c>chromium</c> package; CHROMIUM_PATH overrides):
/// Playwright's own browser download is not used, so the tests run offline. The tests fail rather than skip
/// without it, so that a CI image that lost the browser is noticed.
/// </remarks>
[Trait("Tier", "Slow")]
public sealed class SwaggerUiBrowserTests(LiveServer server) : IClassFixture<LiveServer>, IAsyncLifetime
{
    private const float Timeout = 30_000;

    private const string ClassifyOperation = "#operations-Classification-Classify";

    private readonly List<string> browserErrors = [];
    private IPlaywright? playwright;
    private IBrowser? browser;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
        IBrowserContext context = await browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(Timeout);
        page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browserErrors.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => browserErrors.Add($"page error: {error}");
        page.RequestFailed += (_, request) => browserErrors.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
    }

    [Fact]
    public async Task SwaggerUi_ShowsTheTitleAndEveryOperation_WithoutBrowserErrors()
    {
        IResponse? response = await page.GotoAsync("swagger");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await Assertions.Expect(page.Locator(".info .title")).ToContainTextAsync("Handwritten digits API", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(ClassifyOperation)).ToContainTextAsync("/v1/classify", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#operations-Models-ListModels")).ToContainTextAsync("/v1/models", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#operations-Models-GetModel")).ToContainTextAsync("/v1/models/{name}", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#operations-Activations-ListActivations")).ToContainTextAsync("/v1/activations", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".swagger-ui .errors-wrapper")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task TryItOut_ClassifiesAnMnistDigit_AndShowsTheAnswer()
    {
        (string imagePath, int label) = WriteMnistDigitPng();
        try
        {
            await page.GotoAsync("swagger");
            ILocator operation = page.Locator(ClassifyOperation);

            await operation.Locator(".opblock-summary").ClickAsync();
            await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
            await operation.Locator("tr[data-param-name='activation'] input").FillAsync("relu");
            await operation.Locator("input[type='file']").SetInputFilesAsync(imagePath);
            await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

            ILocator liveResponse = operation.Locator(".live-responses-table .response").First;
            await Assertions.Expect(liveResponse.Locator(".response-col_status")).ToHaveTextAsync("200", new() { Timeout = Timeout });
            ILocator body = liveResponse.Locator(".response-col_description pre").First;
            await Assertions.Expect(body).ToContainTextAsync("\"digit\"", new() { Timeout = Timeout });
            await operation.Locator(".live-responses-table").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "swagger-ui-classify.png"), FullPage = true });

            using JsonDocument result = JsonDocument.Parse(await body.InnerTextAsync());
            Assert.Equal(label, result.RootElement.GetProperty("digit").GetInt32());
            Assert.Equal("relu", result.RootElement.GetProperty("activation").GetString());
            await Assertions.Expect(operation.Locator(".request-url")).ToContainTextAsync("/v1/classify?activation=relu", new() { Timeout = Timeout });
            Assert.Empty(browserErrors);
        }
        finally
        {
            File.Delete(imagePath);
        }
    }

    /// <summary>The first test digit of the MNIST split, as a 28×28 grayscale PNG (white ink on black).</summary>
    private static (string Path, int Label) WriteMnistDigitPng()
    {
        DigitDataset test = RepositoryFiles.MnistSplits.Test;
        using Image<L8> image = Image.LoadPixelData<L8>(test.Image(0), DigitDataset.Side, DigitDataset.Side);
        string path = Path.Combine(Path.GetTempPath(), $"mnist-digit-{Guid.NewGuid():N}.png");
        image.Save(path, new PngEncoder());
        return (path, test.Labels[0]);
    }
}
