using Microsoft.Playwright;

namespace Tests.Api;

/// <summary>Debian's Chromium, driven by Playwright, as every browser test here launches it.</summary>
internal static class Chromium
{
    /// <summary>Where the browser is: <c>CHROMIUM_PATH</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    /// <summary>Starts Playwright and a headless Chromium; fails the test with what to install when there is none.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"No Chromium at '{ExecutablePath}': install it (apt-get install chromium) or set CHROMIUM_PATH. " +
                "These tests drive a real browser and do not download one.");
        }

        // The bundled driver must not try to fetch its own browsers: there may be no internet.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
