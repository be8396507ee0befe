using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Tests.Api;

/// <summary>
/// The demo page at <c>/</c> in headless Chromium against the API on a real socket with the committed, trained
/// models: digits drawn with mouse strokes and uploaded as a file get their real answers, the 28×28 input is shown,
/// a blank drawing says so, the page fits a phone and passes axe-core.
/// </summary>
/// <remarks>
/// Needs a Chromium at <c>/usr/bin/chromium</c> (Debian's <c>chromium</c> package; CHROMIUM_PATH overrides), like
/// <see cref="SwaggerUiBrowserTests"/>. Screenshots are written beside the test binaries (<c>demo-page-*.png</c>).
/// </remarks>
[Trait("Tier", "Slow")]
public sealed class DemoPageBrowserTests(LiveServer server) : IClassFixture<LiveServer>, IAsyncLifetime
{
    private const float Timeout = 30_000;

    // Strokes in fractions of the drawing's width and height, as a hand would draw them.
    private static readonly (double X, double Y)[][] One = [[(0.52, 0.18), (0.50, 0.50), (0.48, 0.84)]];

    private static readonly (double X, double Y)[][] Seven = [[(0.24, 0.2), (0.5, 0.2), (0.76, 0.2), (0.6, 0.5), (0.44, 0.84)]];

    private readonly List<string> browserErrors = [];
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
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
    public async Task DrawingAOne_TheMajoritySaysOne()
    {
        IPage page = await OpenAsync();

        await DrawAsync(page, One);

        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("1", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#results > li")).ToHaveCountAsync(6);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("drawn-1"), FullPage = true });
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task DrawingASeven_TheMajoritySaysSeven_WithEveryActivationsAnswer()
    {
        IPage page = await OpenAsync();

        await DrawAsync(page, Seven);

        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7", new() { Timeout = Timeout });
        ILocator results = page.Locator("#results > li");
        await Assertions.Expect(results).ToHaveCountAsync(6);
        string[] activations = await results.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.activation)");
        Assert.Equal(["elu", "leaky_relu", "noisy_relu", "relu", "relu_softsign", "softsign"], activations.Order().ToArray());
        // Each card: the digit, a confidence, ten bars, and the model that answered.
        ILocator first = results.First;
        await Assertions.Expect(first.Locator(".result__confidence")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(> )?\d+\.\d+ %$"));
        await Assertions.Expect(first.Locator("svg.bars rect")).ToHaveCountAsync(10);
        await Assertions.Expect(first.Locator(".result__meta")).ToContainTextAsync("enhanced-");
        await Assertions.Expect(page.Locator("#models .model")).ToHaveCountAsync(12, new() { Timeout = Timeout });

        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("drawn-7") });
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("drawn-7-full"), FullPage = true });
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task UploadingAFile_ClassifiesIt()
    {
        IPage page = await OpenAsync();

        await page.Locator("#file").SetInputFilesAsync(Path.Combine(RepositoryFiles.Root, "scripts", "digit-7.png"));

        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#results > li")).ToHaveCountAsync(6);
        Assert.True(await BrightPixelsAsync(page, "#seen") > 0, "The 28×28 input is not shown after an upload.");
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task UploadingAFileThatIsNoImage_SaysWhichFormatsAreRead()
    {
        IPage page = await OpenAsync();
        string path = Path.Combine(Path.GetTempPath(), $"not-an-image-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "This is a note, not a picture of a digit.");
        try
        {
            await page.Locator("#file").SetInputFilesAsync(path);

            ILocator message = page.Locator("#message");
            await Assertions.Expect(message).ToContainTextAsync("not an image the service reads", new() { Timeout = Timeout });
            await Assertions.Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("message--error"));
            await Assertions.Expect(page.Locator("#verdict")).ToBeHiddenAsync();
            Assert.All(browserErrors, error => Assert.Contains("status of 415", error));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TheBaselineNetworks_AnswerWhenChosen()
    {
        IPage page = await OpenAsync();
        await DrawAsync(page, Seven);
        await Assertions.Expect(page.Locator("#results .result__meta").First).ToContainTextAsync("enhanced-", new() { Timeout = Timeout });

        await page.GetByText("Baseline", new() { Exact = false }).First.ClickAsync();

        await Assertions.Expect(page.Locator("#results .result__meta").First).ToContainTextAsync("baseline-", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7");
        Assert.True(await page.Locator("#arch-baseline").IsCheckedAsync());
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task ThePreview_ShowsThe28x28Input_OnceSomethingIsDrawn()
    {
        IPage page = await OpenAsync();
        Assert.Equal(0, await BrightPixelsAsync(page, "#seen"));

        await DrawAsync(page, Seven);
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7", new() { Timeout = Timeout });

        // 8 screen pixels a side per input pixel: a digit covers dozens of input pixels.
        int bright = await BrightPixelsAsync(page, "#seen");
        Assert.True(bright > 30 * 64, $"Only {bright} bright pixels in the 28×28 preview.");
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task ABlankDrawing_ClassifiedAfterClearing_SaysNoDigitWasFound()
    {
        IPage page = await OpenAsync();
        await DrawAsync(page, One);
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("1", new() { Timeout = Timeout });

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Assertions.Expect(page.Locator("#results > li")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Classify" }).ClickAsync();

        ILocator message = page.Locator("#message");
        await Assertions.Expect(message).ToHaveTextAsync("No digit found — draw something.", new() { Timeout = Timeout });
        await Assertions.Expect(message).ToHaveAttributeAsync("role", "status");
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("no-digit") });
        await Assertions.Expect(page.Locator("#verdict")).ToBeHiddenAsync();
        Assert.Equal(0, await BrightPixelsAsync(page, "#seen"));
        // Chromium logs every 4xx answer to the console; the 422 is the expected one.
        Assert.All(browserErrors, error => Assert.Contains("status of 422", error));
    }

    [Fact]
    public async Task UndoRemovesTheLastStroke()
    {
        IPage page = await OpenAsync();
        ILocator undo = page.GetByRole(AriaRole.Button, new() { Name = "Undo" });
        await Assertions.Expect(undo).ToBeDisabledAsync();

        await DrawAsync(page, One);
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("1", new() { Timeout = Timeout });
        await undo.ClickAsync();

        await Assertions.Expect(undo).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#results > li")).ToHaveCountAsync(0);
        Assert.Equal(0, await DarkPixelsAsync(page, "#pad"));
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task AtPhoneWidth_NothingScrollsSideways()
    {
        IPage page = await OpenAsync(width: 390, height: 844);
        await DrawAsync(page, Seven);
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#models .model")).ToHaveCountAsync(12, new() { Timeout = Timeout });

        int[] widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");

        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px viewport.");
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("phone"), FullPage = true });
        Assert.Empty(browserErrors);
    }

    [Fact]
    public async Task ThePage_HasNoAccessibilityViolations_WithResultsAndModelsShown()
    {
        IPage page = await OpenAsync();
        await DrawAsync(page, Seven);
        await Assertions.Expect(page.Locator("#majority")).ToHaveTextAsync("7", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#models .model")).ToHaveCountAsync(12, new() { Timeout = Timeout });

        AxeResult result = await page.RunAxe();

        string[] violations = result.Violations
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .ToArray();
        Assert.True(violations.Length == 0, "axe-core found:\n" + string.Join("\n", violations));
    }

    [Fact]
    public async Task TheModelsView_ShowsEachModelsStateAccuracyAndUnits()
    {
        IPage page = await OpenAsync();
        ILocator model = page.Locator("#models .model[data-model='enhanced-relu']");

        await Assertions.Expect(model.Locator(".state")).ToHaveTextAsync("● Ready", new() { Timeout = Timeout });
        // The committed card's own figures, as the page formats them.
        Contracts.ModelCard card = global::Engine.Inference.ModelCardFile.Read(Path.Combine(RepositoryFiles.ModelsDirectory, "enhanced-relu.json"));
        Contracts.LayerUnits dense = card.Units!.Single(u => u.Layer == "dense1");
        await Assertions.Expect(model.Locator(".model__facts")).ToContainTextAsync($"{100 * card.ValidationAccuracy:F2} %");
        await Assertions.Expect(model.Locator(".model__facts")).ToContainTextAsync($"{100 * card.TestAccuracy:F2} %");
        await Assertions.Expect(model.Locator("svg.units")).ToHaveAttributeAsync("aria-label",
            new System.Text.RegularExpressions.Regex($"dense1: {dense.Dead} of {dense.Units} dead, {dense.Dormant} dormant"));
        await Assertions.Expect(model.Locator("svg.history polyline")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#models a[href='swagger']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#models")).ToContainTextAsync("docs/study/README.md");
        Assert.Empty(browserErrors);
    }

    private async Task<IPage> OpenAsync(int width = 1280, int height = 900)
    {
        IBrowserContext context = await browser!.NewContextAsync(new()
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
        });
        context.SetDefaultTimeout(Timeout);
        IPage page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browserErrors.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => browserErrors.Add($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A classification overtaken by a newer drawing is aborted on purpose.
            if (request.Failure?.Contains("ERR_ABORTED", StringComparison.Ordinal) != true)
            {
                browserErrors.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
            }
        };
        IResponse? response = await page.GotoAsync("/");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Draw a digit");
        return page;
    }

    /// <summary>Draws strokes with the mouse, in small steps as a hand moves, and waits for the page's answer.</summary>
    private static async Task DrawAsync(IPage page, (double X, double Y)[][] strokes)
    {
        ILocator pad = page.Locator("#pad");
        await pad.ScrollIntoViewIfNeededAsync();
        LocatorBoundingBoxResult box = (await pad.BoundingBoxAsync())!;
        foreach ((double X, double Y)[] stroke in strokes)
        {
            await page.Mouse.MoveAsync((float)(box.X + stroke[0].X * box.Width), (float)(box.Y + stroke[0].Y * box.Height));
            await page.Mouse.DownAsync();
            foreach ((double x, double y) in stroke.Skip(1))
            {
                await page.Mouse.MoveAsync((float)(box.X + x * box.Width), (float)(box.Y + y * box.Height), new() { Steps = 12 });
            }
            await page.Mouse.UpAsync();
        }
        // The answer to the whole drawing, not to a stroke half drawn.
        await page.WaitForFunctionAsync("() => !document.body.dataset.classifying", null, new() { Timeout = Timeout });
    }

    private static Task<int> BrightPixelsAsync(IPage page, string canvas) => page.EvaluateAsync<int>(
        """
        selector => {
          const canvas = document.querySelector(selector);
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let count = 0;
          for (let i = 0; i < data.length; i += 4) { if (data[i] > 128) count++; }
          return count;
        }
        """, canvas);

    private static Task<int> DarkPixelsAsync(IPage page, string canvas) => page.EvaluateAsync<int>(
        """
        selector => {
          const canvas = document.querySelector(selector);
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let count = 0;
          for (let i = 0; i < data.length; i += 4) { if (data[i] < 128) count++; }
          return count;
        }
        """, canvas);

    private static string ScreenshotPath(string name) => Path.Combine(AppContext.BaseDirectory, $"demo-page-{name}.png");
}
