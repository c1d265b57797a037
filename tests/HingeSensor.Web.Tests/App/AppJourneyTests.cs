using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Host.Cli;
using HingeSensor.Host.Export;
using HingeSensor.Host.Storage;
using HingeSensor.Simulation.Choreography;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The web app as a wearer uses it, on a phone-sized screen, on `hinge serve --virtual`'s device
    /// through the app's WebSocket transport: connect, calibrate while the virtual wearer does what
    /// each step needs, watch every frame, record a set, bring it home over the smallest link while
    /// the link keeps dropping, read its report and hand it on as `hinge history export` and `hinge
    /// history import` know it. One dashboard and one recording for all of it.
    /// </summary>
    [Collection("dashboard")]
    public class AppJourneyTests
    {
        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public AppJourneyTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        [SkippableFact]
        public async Task Calibrate_watch_record_then_download_through_drops_and_export_what_hinge_exports()
        {
            await using AppPage app = await AppPage.OpenAsync(_browser.Browser, AppPage.Phone);
            IPage page = app.Page;
            await using var dash = await TestDashboard.StartAsync("web/rounding", speed: 2);
            DeviceConnection dashboardLink = await dash.DeviceAsync();
            VirtualDeviceHost host = dashboardLink.Virtual!;
            var plan = host.Rig.Simulation.Plan;
            PlannedActivity neutral = plan.First(p => p.Kind == ActivityKind.CalibrateNeutral);
            PlannedActivity hinge = plan.First(p => p.Kind == ActivityKind.CalibrateHinge);
            PlannedActivity rounding = plan.First(p => p.Kind == ActivityKind.Rep && p.Fault == FaultVariant.LumbarRounding);

            await app.ConnectVirtualAsync(dash.Url + "/app");
            // The dashboard lent its device (one host at a time): its own page says who has it.
            Assert.Equal(HingeSensor.Host.Web.DeviceLinkState.Lent, dash.Server.Device.State);
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("calibrate: neutral, then hinge");

            // Calibrate from the app, each step while the wearer does it; the device's verdict in its words.
            Assert.True(host.TimeS < neutral.EndS - 4, $"the app took until {host.TimeS:0.0} s of device time to connect: the neutral stance is nearly over");
            await page.GetByRole(AriaRole.Link, new() { Name = "Calibrate" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate range" }).ClickAsync();
            await Expect(page.Locator("[data-result=range]")).ToHaveTextAsync("the range comes after the neutral and the hinge: calibrate those first (neutral, then hinge)");
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate neutral" }).ClickAsync();
            await Expect(page.Locator("[data-result=neutral]")).ToContainTextAsync("neutral calibration ok (quality head ");
            await TestDashboard.FastForwardAsync(host, hinge.StartS - 1, TimeSpan.FromSeconds(20));
            await TestDashboard.WaitForDeviceTimeAsync(host, hinge.StartS, TimeSpan.FromSeconds(20));
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate hinge" }).ClickAsync();
            await Expect(page.Locator("[data-result=hinge]")).ToContainTextAsync("hinge calibration ok");
            await Expect(page.Locator("#calibration-state")).ToHaveTextAsync("calibration: neutral ✓ · hinge ✓ · range –");

            await page.GetByRole(AriaRole.Link, new() { Name = "Record" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
            await Expect(page.Locator("#record-result")).ToContainTextAsync("recording session ");
            int session = int.Parse((await page.Locator("#record-result").TextContentAsync())!.Split(' ').Last());

            // The rounded rep: the banner says so (the phone-sized screen is kept as an artifact).
            await page.GetByRole(AriaRole.Link, new() { Name = "Live" }).ClickAsync();
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            await TestDashboard.FastForwardAsync(host, rounding.StartS - 1, TimeSpan.FromSeconds(30));
            await Expect(page.Locator("#fault-banner")).ToHaveAttributeAsync("data-fault", "back rounding");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("app-phone-live.png") });
            await Expect(page.Locator("#log")).ToContainTextAsync("ALERT back rounding");

            // Live at the device's own pace: every frame arrives and every frame is drawn in an
            // animation frame of its own (the device sends them in pairs), counted in device time.
            host.Speed = 1;
            double[] before = await page.EvaluateAsync<double[]>("() => { const s = hingeApp.live.stats; return [s.received, s.drawn, s.lastT]; }");
            await app.WaitAsync($"hingeApp.live.stats.lastT >= {before[2] + 4000}");
            double[] after = await page.EvaluateAsync<double[]>("() => { const s = hingeApp.live.stats; return [s.received, s.drawn, s.lastT, hingeApp.client.health.gaps]; }");
            double deviceSeconds = (after[2] - before[2]) / 1000;
            double received = (after[0] - before[0]) / deviceSeconds, drawn = (after[1] - before[1]) / deviceSeconds;
            _out.WriteLine($"live: {received:0.0} frames received and {drawn:0.0} drawn per device second over {deviceSeconds:0.0} s; {after[3]} gaps");
            Assert.InRange(received, 24.5, 25.5);
            // Every frame its own draw gives 25; frames drawn in the pairs they arrive in, 12.5. The
            // margin is for animation frames a busy machine's headless browser skips.
            Assert.True(drawn >= 22, $"the figure showed {drawn:0.0} frames per device second: frames that arrive together are not spread out");
            Assert.Equal(0, after[3]);

            await TestDashboard.FastForwardAsync(host, plan[^1].EndS - 1, TimeSpan.FromSeconds(30));
            await Expect(page.Locator("#rep-count")).ToHaveTextAsync("3");
            await page.GetByRole(AriaRole.Link, new() { Name = "Record" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Stop recording" }).ClickAsync();
            await Expect(page.Locator("#record-result")).ToHaveTextAsync("recording stopped");
            app.AssertNoErrors();

            // Home over the smallest link (MTU 23: 14 bytes a packet), the link dropped three times
            // mid-download: the app reconnects by itself and goes on from the last checked byte.
            await page.GotoAsync(dash.Url + "/app/?mtu=23");
            await app.ConnectVirtualAsync(dash.Url + "/app/?mtu=23");
            Assert.Equal(23.0, await app.NumberAsync("hingeApp.client.transport.mtu"));
            await page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
            Task drops = DropMidDownloadAsync(host, 3);
            await page.GetByRole(AriaRole.Button, new() { Name = "Download from the device" }).ClickAsync();
            await Expect(page.Locator("#sync-results")).ToContainTextAsync($"session {session} → #1", new() { Timeout = 60000 });
            await drops;
            double resumes = await app.NumberAsync($"hingeApp.lastSync.find(r => r.session === {session}).resumes");
            double disconnects = await app.NumberAsync("hingeApp.client.health.disconnects");
            _out.WriteLine($"download: {disconnects} disconnects, {resumes} resumes");
            Assert.True(resumes >= 3, $"the download resumed {resumes} times after 3 drops");
            Assert.Equal(1.0, await app.NumberAsync($"hingeApp.lastSync.filter(r => r.session === {session} && r.marked).length"));

            // Stored once, byte for byte the device's file; each resume went on from the last byte held
            // (asking from the start again would have brought a few hundred bytes again per drop).
            byte[] flash = FlashFile(dash, session);
            double arrived = await app.NumberAsync($"hingeApp.lastSync.find(r => r.session === {session}).received");
            _out.WriteLine($"download: {arrived} data bytes arrived for a {flash.Length}-byte session");
            Assert.InRange(arrived, flash.Length, flash.Length + 100);
            string stored = await page.EvaluateAsync<string>("async () => { const s = await hingeApp.store.getSession(1); let b = ''; for (const x of s.bytes) b += String.fromCharCode(x); return btoa(b); }");
            Assert.Equal(flash, Convert.FromBase64String(stored));
            await page.GetByRole(AriaRole.Button, new() { Name = "Download from the device" }).ClickAsync();
            await Expect(page.Locator("#sync-results")).ToContainTextAsync($"session {session} → #1 (already stored)");
            Assert.Equal(1.0, await app.NumberAsync("(async () => (await hingeApp.store.listSessions()).length)()"));

            // Its report, drawn in the page.
            await page.GetByRole(AriaRole.Link, new() { Name = "#1", Exact = true }).ClickAsync();
            await Expect(page.Locator("#session-title")).ToHaveTextAsync("Session #1");
            await Expect(page.Locator("#session-summary")).ToContainTextAsync("3 reps (1 with a fault)");
            Assert.Equal(3, await page.Locator("#reps tbody tr[data-rep]").CountAsync());
            await Expect(page.Locator("#alerts tbody tr[data-fault=back_rounding]")).ToHaveCountAsync(1);
            foreach (string plot in new[] { "trunk", "head", "torso" })
                Assert.True(int.Parse((await page.Locator($"canvas[data-plot={plot}]").GetAttributeAsync("data-points"))!) > 100, plot);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("app-phone-report.png"), FullPage = true });

            // The exports are `hinge history export`'s, to the byte (CSV) and field (JSON), of the same session.
            using var dir = new TempDir();
            string appCsv = await DownloadAsync(page, "Export CSV", dir, "session-1.csv");
            string appReps = dir.File("session-1.reps.csv"), appAlerts = dir.File("session-1.alerts.csv");
            string appJson = await DownloadAsync(page, "Export JSON", dir, "session-1.json");
            string handoff = await DownloadAsync(page, "File for a laptop (hinge history import)", dir, "HS1-VIRTUAL-session-" + session + ".hsession");
            Assert.Equal(flash, File.ReadAllBytes(handoff));

            string db = dir.File("laptop.db");
            var import = Hinge("history", "import", handoff, "--db", db);
            Assert.True(import.Code == 0, import.Err);
            Assert.Contains($"{handoff} → #1", import.Out);
            Assert.Contains("(already stored)", Hinge("history", "import", handoff, "--db", db).Out);
            var export = Hinge("history", "export", "1", "--format", "csv", "--out", dir.File("hinge.csv"), "--db", db);
            Assert.True(export.Code == 0, export.Err);
            Assert.Equal(File.ReadAllBytes(dir.File("hinge.csv")), File.ReadAllBytes(appCsv));
            Assert.Equal(File.ReadAllBytes(dir.File("hinge.reps.csv")), File.ReadAllBytes(appReps));
            Assert.Equal(File.ReadAllBytes(dir.File("hinge.alerts.csv")), File.ReadAllBytes(appAlerts));
            Assert.True(Hinge("history", "export", "1", "--format", "json", "--out", dir.File("hinge.json"), "--db", db).Code == 0);
            JsonAssert.SameExceptDatabaseRow(File.ReadAllText(dir.File("hinge.json")), File.ReadAllText(appJson));
            app.AssertNoErrors();
        }

        // Drops the link after a few dozen notifications each time the app has it up, until `count` drops.
        private static async Task DropMidDownloadAsync(VirtualDeviceHost host, int count)
        {
            for (int i = 0; i < count; i++)
            {
                await WaitAsync(() => host.Link.IsConnected, "the app to reconnect");
                host.Link.DropAfter(60);
                await WaitAsync(() => !host.Link.IsConnected, "the injected drop");
            }
        }

        private static async Task WaitAsync(Func<bool> condition, string what)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"waited 30 s for {what}");
                await Task.Delay(2);
            }
        }

        // The session's file on the virtual device's flash (a folder of the dashboard's scratch directory).
        private static byte[] FlashFile(TestDashboard dash, int session) =>
            File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(dash.Directory, "virtual-device"), $"S{session:D5}.hs", SearchOption.AllDirectories).Single());

        // Clicks an export button and keeps the files it hands over (CSV: three of them) in dir.
        private static async Task<string> DownloadAsync(IPage page, string button, TempDir dir, string expectedName)
        {
            string[] names = expectedName.EndsWith(".csv", StringComparison.Ordinal)
                ? new[] { expectedName, expectedName[..^4] + ".reps.csv", expectedName[..^4] + ".alerts.csv" }
                : new[] { expectedName };
            var saved = new System.Collections.Concurrent.ConcurrentBag<Task>();
            void OnDownload(object? _, IDownload d) => saved.Add(d.SaveAsAsync(dir.File(d.SuggestedFilename)));
            page.Download += OnDownload;
            try
            {
                await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
                await WaitAsync(() => saved.Count >= names.Length, $"{names.Length} file(s) from {button}");
                await Task.WhenAll(saved);
            }
            finally
            {
                page.Download -= OnDownload;
            }
            foreach (string name in names) Assert.True(File.Exists(dir.File(name)), $"{button} gave no {name}");
            return dir.File(expectedName);
        }

        private static (int Code, string Out, string Err) Hinge(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = HingeCli.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }
    }
}
