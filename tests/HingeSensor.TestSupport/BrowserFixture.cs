using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace HingeSensor.TestSupport
{
    /// <summary>
    /// One headless Debian chromium for the browser tests of a collection (the dashboard's and the
    /// web app's in HingeSensor.Web.Tests, the team server's coach views in HingeSensor.Server.Tests),
    /// driven by Playwright without any browser download. Missing chromium skips the browser tests with the reason, except in CI
    /// (HINGESENSOR_CI=1), which installs it and so must fail loudly if it is not there.
    /// </summary>
    public sealed class BrowserFixture : IAsyncLifetime
    {
        public const string ChromiumPath = "/usr/bin/chromium";

        private IPlaywright? _playwright;
        private IBrowser? _browser;
        private string _unavailable = "";

        public static bool InCi => Environment.GetEnvironmentVariable("HINGESENSOR_CI") == "1";

        /// <summary>Where screenshots and measurements go: $HINGESENSOR_ARTIFACTS, else artifacts/ next to the test assembly.</summary>
        public static string ArtifactsDirectory
        {
            get
            {
                string dir = Environment.GetEnvironmentVariable("HINGESENSOR_ARTIFACTS") is { Length: > 0 } a ? a : Path.Combine(AppContext.BaseDirectory, "artifacts");
                Directory.CreateDirectory(dir);
                return dir;
            }
        }

        public static string Artifact(string name) => Path.Combine(ArtifactsDirectory, name);

        public async Task InitializeAsync()
        {
            if (!File.Exists(ChromiumPath))
            {
                _unavailable = $"{ChromiumPath} is not installed (apt-get install chromium); browser tests skipped";
                return;
            }
            // The virtual wearer runs on its own clock: give the page's expectations time to see it happen.
            Assertions.SetDefaultExpectTimeout(30000);
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Root in a container (no sandbox), no GPU, no network: nothing in the background.
                // Precise memory info makes performance.memory exact instead of bucketed. Web Bluetooth is
                // off by default on Linux (navigator.bluetooth undefined) until its feature is on; this
                // list replaces Playwright's own --enable-features, so it names that one too.
                Args = new[]
                {
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--enable-precise-memory-info",
                    "--enable-features=CDPScreenshotNewSurface,WebBluetooth",
                },
            });
        }

        /// <summary>The browser, or a skip (a failure in CI) saying why there is none.</summary>
        public IBrowser Browser
        {
            get
            {
                if (_browser != null) return _browser;
                if (InCi) Assert.Fail("HINGESENSOR_CI=1 but " + _unavailable);
                Skip.If(true, _unavailable);
                throw new InvalidOperationException("unreachable");
            }
        }

        /// <summary>A page in a context of its own, closed with it (a page left open would keep reconnecting to a stopped server).</summary>
        public async Task<BrowserPage> OpenPageAsync()
        {
            IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1180, Height = 760 } });
            IPage page = await context.NewPageAsync();
            page.SetDefaultTimeout(30000);
            return new BrowserPage(context, page);
        }

        public async Task DisposeAsync()
        {
            if (_browser != null) await _browser.DisposeAsync();
            _playwright?.Dispose();
        }
    }

    public sealed class BrowserPage : IAsyncDisposable
    {
        private readonly IBrowserContext _context;

        public BrowserPage(IBrowserContext context, IPage page)
        {
            _context = context;
            Page = page;
        }

        public IPage Page { get; }

        public ValueTask DisposeAsync() => _context.DisposeAsync();
    }
}
