using HingeSensor.TestSupport;
using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// Passkey entry in the app, on `hinge serve --virtual --hold-button-at`'s device, for a
    /// browser the device holds no bond with (?as=phone): the wearer holds the button, the motor
    /// buzzes a passkey (read back from the motor, as `hinge serve` prints it), the person types it.
    /// A passkey that is not six counts is refused before anything is sent; a wrong one is refused
    /// by the device, said in `hinge pair`'s words, and closes the window; the right one in the
    /// next window pairs, the live view follows, and the bond holds when the link comes back by
    /// itself and when the app connects afresh.
    /// </summary>
    [Collection("dashboard")]
    public class AppPairingTests
    {
        private const string Phone = "phone";

        // The first window opens 4 s into the first hold; the second hold comes after the wrong passkey closed the first.
        private static readonly double[] Holds = { 3, 30 };

        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public AppPairingTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        [SkippableFact]
        public async Task A_wrong_passkey_is_refused_in_the_devices_words_the_right_one_pairs_and_the_bond_holds()
        {
            await using AppPage app = await AppPage.OpenAsync(_browser.Browser, AppPage.Phone);
            IPage page = app.Page;
            var said = new ConcurrentQueue<string>();
            await using var dash = await TestDashboard.StartAsync("web/rounding", speed: 2, holdButtonAtS: Holds, pairingSaid: said.Enqueue);
            VirtualDeviceHost host = (await dash.DeviceAsync()).Virtual!;
            Assert.False(host.Rig.Bonds.Contains(Phone));

            await page.GotoAsync(dash.Url + "/app/?as=" + Phone);
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" }).ClickAsync();
            await Expect(page.Locator("#connect-result")).ToHaveTextAsync("the device refused this connection: not paired");
            await Expect(page.Locator("#pairing-words")).ToContainTextAsync("type the six counts here");

            // Not six counts: refused as `hinge pair` refuses it, and nothing reaches the device.
            int refusedBefore = host.Rig.Core.Pairing.RefusedRequests;
            await TypePasskeyAsync(page, "3 1 4 2 6 2");
            await Expect(page.Locator("#pairing-result")).ToHaveTextAsync("6 cannot be a count: each group has 1 to 5 buzzes");
            await TypePasskeyAsync(page, "3 1 4");
            await Expect(page.Locator("#pairing-result")).ToHaveTextAsync("the passkey has six digits (six groups of buzzes), not 3");
            Assert.Equal(refusedBefore, host.Rig.Core.Pairing.RefusedRequests);
            Assert.Equal(1, host.Pairing.Pairings); // the dashboard's own, when it connected

            // The first window: a wrong passkey (one count off), refused by the device; the window closes.
            string first = await PasskeyAsync(said, 0);
            string wrong = (first[0] == '1' ? '2' : '1') + first[1..];
            await TypePasskeyAsync(page, wrong);
            await Expect(page.Locator("#pairing-result")).ToHaveTextAsync("pairing failed: " + PairingAdvice.PairingFailed);
            await WaitForLineAsync(said, "pairing window closed without a pairing");
            Assert.False(host.Rig.Bonds.Contains(Phone));
            await Expect(page.Locator("#link-state")).Not.ToHaveAttributeAsync("data-state", "connected");

            // The second window: the right passkey pairs, and the app connects.
            await TestDashboard.FastForwardAsync(host, Holds[1] - 1, TimeSpan.FromSeconds(30));
            string second = await PasskeyAsync(said, 1);
            _out.WriteLine($"passkeys buzzed: {first}, then {second}; typed {wrong}, then {second}");
            await TypePasskeyAsync(page, string.Join(' ', second.ToCharArray()));
            await Expect(page.Locator("#link-state")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.Locator("#connect-result")).ToContainTextAsync("connected to ");
            await WaitForLineAsync(said, "pairing window closed: paired");
            Assert.True(host.Rig.Bonds.Contains(Phone), "the device did not keep a bond with the browser");

            // The live view follows the device.
            await Expect(page.Locator("#page-live")).ToBeVisibleAsync();
            await FramesFlowAsync(app);

            // The link drops: the app brings it back by itself, on the bond (no passkey asked).
            host.Link.DropAfter(5);
            await app.WaitAsync("hingeApp.client.health.disconnects >= 1");
            await Expect(page.Locator("#link-state")).ToHaveAttributeAsync("data-state", "connected");
            await FramesFlowAsync(app);

            // A fresh start of the app: it connects at once, on the same bond.
            await page.GotoAsync("about:blank");
            await WaitForAsync(() => dash.Server.Device.State == HingeSensor.Host.Web.DeviceLinkState.Connected, "the dashboard to take its device back");
            await app.ConnectVirtualAsync(dash.Url + "/app/?as=" + Phone);
            await Expect(page.Locator("#pairing")).ToBeHiddenAsync();
            await FramesFlowAsync(app);
            Assert.Equal(2, host.Pairing.Pairings); // the dashboard's and the phone's, nothing since
            app.AssertNoErrors();
        }

        private static async Task TypePasskeyAsync(IPage page, string passkey)
        {
            await page.Locator("#passkey").FillAsync(passkey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Pair", Exact = true }).ClickAsync();
        }

        // The passkey of the nth window, from the line `hinge serve` prints ("… buzzes the passkey 3 1 4 2 5 2").
        private static async Task<string> PasskeyAsync(ConcurrentQueue<string> said, int nth)
        {
            string line = await WaitForLineAsync(said, PairingWatch.PasskeyLine, nth);
            return line[PairingWatch.PasskeyLine.Length..].Replace(" ", "");
        }

        private static async Task<string> WaitForLineAsync(ConcurrentQueue<string> said, string start, int nth = 0)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                string? line = said.Where(l => l.StartsWith(start, StringComparison.Ordinal)).Skip(nth).FirstOrDefault();
                if (line != null) return line;
                if (sw.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"no line '{start}…' (#{nth + 1}) in 60 s; said: {string.Join(" | ", said)}");
                await Task.Delay(20);
            }
        }

        private static async Task WaitForAsync(Func<bool> condition, string what)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"waited 30 s for {what}");
                await Task.Delay(20);
            }
        }

        // Fifty more frames reach the page.
        private static async Task FramesFlowAsync(AppPage app)
        {
            double received = await app.NumberAsync("hingeApp.live.stats.received");
            await app.WaitAsync($"hingeApp.live.stats.received >= {received + 50}");
        }
    }
}
