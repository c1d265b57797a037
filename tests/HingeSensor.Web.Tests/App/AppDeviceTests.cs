using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Web;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>One `hinge serve --virtual` for the tests below, each connecting the app afresh.</summary>
    public sealed class VirtualDashboardFixture : IAsyncLifetime
    {
        public TestDashboard Dash { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Dash = await TestDashboard.StartAsync("web/rounding", speed: 1);
            await Dash.DeviceAsync();
        }

        /// <summary>The dashboard has its device back (after an app let go of it).</summary>
        public async Task DeviceBackAsync()
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (Dash.Server.Device.State != DeviceLinkState.Connected)
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"the dashboard did not take its device back: {Dash.Server.Device.State}, {Dash.Server.Device.Reason}");
                await Task.Delay(10);
            }
        }

        public async Task DisposeAsync() => await Dash.DisposeAsync();
    }

    /// <summary>
    /// The app's settings, pairing words and the device link's rules, on `hinge serve --virtual`'s
    /// device: what `hinge config set` refuses is refused before anything is sent, what the device
    /// refuses comes back in its words; an unpaired browser is told how to pair; one host at a time;
    /// no other web site may open the link.
    /// </summary>
    [Collection("dashboard")]
    public class AppDeviceTests : IClassFixture<VirtualDashboardFixture>
    {
        private readonly BrowserFixture _browser;
        private readonly VirtualDashboardFixture _fixture;

        public AppDeviceTests(BrowserFixture browser, VirtualDashboardFixture fixture)
        {
            _browser = browser;
            _fixture = fixture;
        }

        private string AppUrl => _fixture.Dash.Url + "/app/";

        [SkippableFact]
        public async Task Settings_are_checked_as_hinge_config_set_checks_them_and_the_device_refusal_is_said_in_its_words()
        {
            await using (AppPage app = await AppPage.OpenAsync(_browser.Browser, AppPage.Phone))
            {
                IPage page = app.Page;
                await app.ConnectVirtualAsync(AppUrl);
                await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
                ILocator chin = page.Locator("input[name=chin_drop_deg]");
                await Expect(chin).ToHaveValueAsync("15");
                await Expect(page.Locator("input[name=quiet]")).Not.ToBeCheckedAsync();

                // Out of the device's limits: each said as `hinge config set` says it, nothing sent.
                await chin.FillAsync("500");
                await page.Locator("input[name=gate_close_deg]").FillAsync("40");
                await page.GetByRole(AriaRole.Button, new() { Name = "Save on the device" }).ClickAsync();
                await Expect(page.Locator("#settings-problems")).ToContainTextAsync("chin_drop_deg=500 is not allowed: 5° to 90°");
                await Expect(page.Locator("#settings-problems")).ToContainTextAsync("gate_close_deg=40 is not allowed: 0° up to below gate_open_deg (30°)");
                await Expect(page.Locator("#settings-result")).ToHaveTextAsync("nothing changed");
                Assert.Equal(150.0, await app.NumberAsync("hingeApp.client.readConfig().then(c => c.chinDropTenthsDeg)"));
                await page.Locator("input[name=gate_close_deg]").FillAsync("abc");
                await page.GetByRole(AriaRole.Button, new() { Name = "Save on the device" }).ClickAsync();
                await Expect(page.Locator("#settings-problems")).ToHaveTextAsync("'abc' is not a value for gate_close_deg: allowed 0° up to below gate_open_deg (30°)");

                // Within them: saved, and read back from the device.
                await chin.FillAsync("18");
                await page.Locator("input[name=gate_close_deg]").FillAsync("20");
                await page.Locator("input[name=quiet]").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Save on the device" }).ClickAsync();
                await Expect(page.Locator("#settings-result")).ToHaveTextAsync("saved on the device");
                Assert.Equal(180.0, await app.NumberAsync("hingeApp.client.readConfig().then(c => c.chinDropTenthsDeg)"));
                Assert.Equal(1.0, await app.NumberAsync("hingeApp.client.readConfig().then(c => c.flags & 1)"));

                // Past the app's own check, straight to the device (as the host's test does): the
                // device refuses the record, naming the field, and the page says so in the host's words.
                await page.EvaluateAsync(@"async () => {
                    const { encodeConfig } = await import('./protocol.js');
                    const c = { ...hingeApp.client.config };
                    const record = encodeConfig(c);
                    record[5] = 5000 & 0xff; record[6] = 5000 >> 8; // chin drop, 0.1°
                    return hingeApp.settings.send(record, { ...c, chinDropTenthsDeg: 5000 });
                }");
                await Expect(page.Locator("#settings-result")).ToHaveTextAsync("the device refused the settings: chin_drop_deg=500 is not allowed: 5° to 90°");
                Assert.Equal(180.0, await app.NumberAsync("hingeApp.client.readConfig().then(c => c.chinDropTenthsDeg)"));

                // Back to the defaults for the next test.
                await page.EvaluateAsync("async () => { const p = await import('./protocol.js'); await hingeApp.client.writeConfig(p.defaultConfig()); }");
                app.AssertNoErrors();
            }
            await _fixture.DeviceBackAsync();
        }

        [SkippableFact]
        public async Task A_browser_the_device_holds_no_bond_with_is_told_how_to_pair()
        {
            await using (AppPage app = await AppPage.OpenAsync(_browser.Browser, AppPage.Phone))
            {
                IPage page = app.Page;
                await page.GotoAsync(AppUrl + "?as=someone-elses-phone");
                await page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" }).ClickAsync();
                await Expect(page.Locator("#connect-result")).ToHaveTextAsync("the device refused this connection: not paired");
                await Expect(page.Locator("#pairing-words")).ToContainTextAsync("(" + HingeSensor.Host.Link.PairingAdvice.OpenWindow + ")");
                await Expect(page.Locator("#passkey")).ToBeVisibleAsync();
                await Expect(page.Locator("#link-state")).Not.ToHaveAttributeAsync("data-state", "connected");
                app.AssertNoErrors();
            }
            await _fixture.DeviceBackAsync();
        }

        [SkippableFact]
        public async Task The_device_serves_one_app_at_a_time_and_returns_to_the_dashboard_after()
        {
            await using (AppPage first = await AppPage.OpenAsync(_browser.Browser))
            await using (AppPage second = await AppPage.OpenAsync(_browser.Browser))
            {
                await first.ConnectVirtualAsync(AppUrl);
                Assert.Equal(DeviceLinkState.Lent, _fixture.Dash.Server.Device.State);
                await second.Page.GotoAsync(AppUrl);
                await second.Page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" }).ClickAsync();
                await Expect(second.Page.Locator("#connect-result")).ToContainTextAsync("the dashboard did not lend its device: the device is already lent");

                // While the app has it the dashboard's buttons say why they cannot.
                using var http = new System.Net.Http.HttpClient();
                var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, _fixture.Dash.Url + "/api/device/recording/start");
                request.Headers.Add(DeviceEndpoints.ActionHeader, "1");
                using var busy = await http.SendAsync(request);
                Assert.Equal(503, (int)busy.StatusCode);
                Assert.Contains("the web app has the device", await busy.Content.ReadAsStringAsync());
                first.AssertNoErrors();
            }
            // The app's page closed: the dashboard connects again by itself.
            await _fixture.DeviceBackAsync();
        }

        [Fact]
        public async Task Only_the_servers_own_pages_may_open_the_device_link_which_speaks_the_loopback_frames()
        {
            var url = new Uri(_fixture.Dash.Url.Replace("http://", "ws://") + AttSocketEndpoint.Path);
            using (var foreign = new ClientWebSocket())
            {
                foreign.Options.SetRequestHeader("Origin", "http://attacker.example");
                var refused = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(url, CancellationToken.None));
                Assert.Contains("403", refused.Message);
            }
            using (var own = new ClientWebSocket())
            {
                own.Options.SetRequestHeader("Origin", _fixture.Dash.Url);
                await own.ConnectAsync(url, CancellationToken.None);
                // Appendix A's Connect (MTU 185), one frame per message: the virtual device grants 185.
                await own.SendAsync(new byte[] { 1, 185, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
                var buffer = new byte[64];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                WebSocketReceiveResult r = await own.ReceiveAsync(buffer, timeout.Token);
                Assert.Equal(new byte[] { 2, 185, 0 }, buffer[..r.Count]);
                await own.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            await _fixture.DeviceBackAsync();
        }
    }
}
