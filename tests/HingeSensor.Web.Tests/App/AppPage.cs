using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The web app in a browser context of its own: a phone-sized screen when asked, every console
    /// error and uncaught exception collected (a test ends by asserting there were none), and the
    /// steps a person takes on the connect page.
    /// </summary>
    public sealed class AppPage : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _errors = new();

        private AppPage(IBrowserContext context, IPage page)
        {
            Context = context;
            Page = page;
            page.Console += (_, m) =>
            {
                if (m.Type == "error") _errors.Enqueue($"console: {m.Text}");
            };
            page.PageError += (_, e) => _errors.Enqueue($"page error: {e}");
        }

        public IBrowserContext Context { get; }
        public IPage Page { get; }

        /// <summary>A phone: 390 × 844 CSS pixels (an iPhone 12–15 or a Pixel-sized Android), touch; 1 device pixel per CSS pixel, which headless software rendering keeps up with at 25 draws a second.</summary>
        public static readonly BrowserNewContextOptions Phone = new()
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 1,
            IsMobile = true,
            HasTouch = true,
            AcceptDownloads = true,
        };

        public static readonly BrowserNewContextOptions Laptop = new()
        {
            ViewportSize = new ViewportSize { Width = 1180, Height = 800 },
            AcceptDownloads = true,
        };

        public static async Task<AppPage> OpenAsync(IBrowser browser, BrowserNewContextOptions? options = null)
        {
            IBrowserContext context = await browser.NewContextAsync(options ?? Laptop);
            IPage page = await context.NewPageAsync();
            page.SetDefaultTimeout(30000);
            return new AppPage(context, page);
        }

        /// <summary>Opens the app and connects to the dashboard's virtual device, as a person would.</summary>
        public async Task ConnectVirtualAsync(string appUrl)
        {
            await Page.GotoAsync(appUrl);
            ILocator connect = Page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" });
            await Expect(connect).ToBeVisibleAsync();
            await connect.ClickAsync();
            await Expect(Page.Locator("#link-state")).ToHaveAttributeAsync("data-state", "connected");
        }

        /// <summary>A number the page keeps (window.hingeApp…), read now.</summary>
        public Task<double> NumberAsync(string expression) => Page.EvaluateAsync<double>($"() => {expression}");

        /// <summary>Waits (bounded) until the page's expression is true.</summary>
        public Task WaitAsync(string expression, float timeoutMs = 30000) =>
            Page.WaitForFunctionAsync($"() => {expression}", null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 20 });

        public void AssertNoErrors()
        {
            string[] errors = _errors.ToArray();
            Assert.True(errors.Length == 0, "the app reported errors:\n" + string.Join("\n", errors));
        }

        /// <summary>As <see cref="AssertNoErrors"/>, but the browser's own console lines for failures a test caused on purpose (a refused request, a cut connection) are expected.</summary>
        public void AssertNoErrorsBut(params string[] expectedConsole)
        {
            string[] errors = _errors.Where(e => !(e.StartsWith("console: ", StringComparison.Ordinal) && expectedConsole.Any(x => e.Contains(x, StringComparison.Ordinal)))).ToArray();
            Assert.True(errors.Length == 0, "the app reported errors:\n" + string.Join("\n", errors));
        }

        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }
}
