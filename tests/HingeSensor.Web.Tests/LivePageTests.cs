using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Host.Client;
using HingeSensor.Simulation.Choreography;
using HingeSensor.TestSupport;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests
{
    /// <summary>The live page in a real browser, on the virtual device running a wearer whose back rounds.</summary>
    [Collection("dashboard")]
    public class LivePageTests
    {
        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public LivePageTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        [SkippableFact]
        public async Task Calibrate_and_record_from_the_page_then_watch_the_figure_follow_the_wearer_and_the_rounding_alert_come_and_go()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync("web/rounding", speed: 2);
            DeviceConnection device = await dash.DeviceAsync();
            var host = device.Virtual!;
            var torsoBySeq = new ConcurrentDictionary<int, float>();
            device.Client.LiveFrameReceived += f => torsoBySeq[f.Sequence] = f.TorsoDeg;
            var plan = host.Rig.Simulation.Plan;
            PlannedActivity neutral = plan.First(p => p.Kind == ActivityKind.CalibrateNeutral);
            PlannedActivity hinge = plan.First(p => p.Kind == ActivityKind.CalibrateHinge);
            PlannedActivity rounding = plan.First(p => p.Kind == ActivityKind.Rep && p.Fault == FaultVariant.LumbarRounding);

            await page.GotoAsync(dash.Url + "/");
            await Expect(page.Locator("#link-status")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "false");
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("calibrate: neutral, then hinge");

            // The wearer stands still: calibrate neutral from the page, as `hinge calibrate neutral` would.
            Assert.True(host.TimeS < neutral.EndS - 4, $"the page took until {host.TimeS:0.0} s of device time to load: the neutral stance is nearly over");
            await TestDashboard.WaitForDeviceTimeAsync(host, neutral.StartS + 0.5, TimeSpan.FromSeconds(20));
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate neutral" }).ClickAsync();
            await Expect(page.Locator("#action-result")).ToContainTextAsync("neutral calibration ok");

            // The rest of the long stance (it is long for a slow page load) passes at ×20. From just
            // before the calibration hinge until recording has started the device runs at ×0.5: on
            // a loaded machine a click reached the device at ×2 after the hinge had begun, the
            // capture took the first rep for the calibration hinge and the set counted 2 reps of 3.
            double hingeMoves = hinge.StartS + 0.5; // the choreographer's calibration hinge starts half a second in
            double firstRep = plan.First(p => p.Kind == ActivityKind.Rep).StartS;
            await TestDashboard.FastForwardAsync(host, hinge.StartS - 2, TimeSpan.FromSeconds(20));
            host.Speed = 0.5;
            await page.GetByRole(AriaRole.Button, new() { Name = "Calibrate hinge" }).ClickAsync();
            await TestDashboard.WaitUntilAsync(() => { lock (host.Rig) return host.Rig.Core.Tracker.Capturing == CalibrationStep.Hinge; }, TimeSpan.FromSeconds(20), "the device to start its hinge capture");
            Assert.True(host.TimeS < hingeMoves, $"the hinge capture began at {host.TimeS:0.00} s of device time, after the calibration hinge had begun ({hingeMoves:0.00} s)");
            await Expect(page.Locator("#action-result")).ToContainTextAsync("hinge calibration ok");
            await Expect(page.Locator("#calibration-line")).ToContainTextAsync("neutral ✓ · hinge ✓");

            await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
            await Expect(page.Locator("#action-result")).ToContainTextAsync("recording session");
            Assert.True(host.TimeS < firstRep, $"recording started at {host.TimeS:0.00} s of device time, after the first rep had begun ({firstRep:0.00} s)");
            host.Speed = 2;
            int session = int.Parse((await page.Locator("#action-result").TextContentAsync())!.Split(' ').Last());
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start recording" })).ToBeDisabledAsync();

            // The figure follows the wearer: each pose the page drew is the device's frame of that sequence number.
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            double lowest = double.MaxValue, highest = double.MinValue;
            int compared = 0;
            while (host.TimeS < rounding.StartS)
            {
                double[] r = await page.EvaluateAsync<double[]>("() => { const c = document.getElementById('figure'); return [+c.dataset.seq, +c.dataset.torsoDeg]; }");
                Assert.True(torsoBySeq.TryGetValue((int)r[0], out float torso), $"the page drew frame {r[0]}, which the device never sent");
                Assert.InRange(r[1], torso - 0.051, torso + 0.051);
                lowest = Math.Min(lowest, r[1]);
                highest = Math.Max(highest, r[1]);
                compared++;
                await Task.Delay(50);
            }
            _out.WriteLine($"figure: {compared} poses compared with the device's frames, torso {lowest:0} … {highest:0}°");
            Assert.True(highest - lowest > 40, $"the figure's torso only moved between {lowest:0}° and {highest:0}° during the first hinge");

            // The scripted lumbar rounding: the banner names it, then clears when the wearer straightens.
            await Expect(page.Locator("#fault-banner")).ToHaveAttributeAsync("data-fault", "back rounding");
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("back rounding");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("live.png") });
            await Expect(page.Locator("#fault-banner")).ToHaveAttributeAsync("data-fault", "ok");
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("in line");
            await Expect(page.Locator("#log")).ToContainTextAsync("ALERT back rounding");
            await Expect(page.Locator("#log")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("(corrected|ended): back rounding"));
            await Expect(page.Locator("#rep-count")).ToHaveTextAsync("3");

            await page.GetByRole(AriaRole.Button, new() { Name = "Stop recording" }).ClickAsync();
            await Expect(page.Locator("#action-result")).ToHaveTextAsync("recording stopped");
            var onDevice = await device.Client.ListSessionsAsync();
            Assert.Contains(onDevice, e => e.Id == session && (e.Flags & SessionEntry.FlagClosed) != 0);

            // Bring it home and read its report: the rounded rep is there.
            await page.GetByRole(AriaRole.Button, new() { Name = "Download sessions" }).ClickAsync();
            await Expect(page.Locator("#action-result")).ToContainTextAsync($"downloaded session {session} → #1");
            await page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "#1", Exact = true }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Session #1");
            await Expect(page.Locator("p.summary")).ToContainTextAsync("3 reps (1 with a fault)");
            await Expect(page.Locator("#alerts")).ToContainTextAsync("back rounding");
            Assert.Equal(3, await page.Locator("#reps tbody tr[data-rep]").CountAsync());
            await ReportAssertions.PlotsRenderedAsync(page);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("report.png"), FullPage = true });
        }

        [SkippableFact]
        public async Task Without_a_device_the_page_says_so_and_the_buttons_say_why_they_are_disabled()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync();
            await page.GotoAsync(dash.Url + "/");
            await Expect(page.Locator("#fault-banner")).ToHaveTextAsync("no device connected");
            await Expect(page.Locator("#link-status")).ToHaveAttributeAsync("data-state", "absent");
            await Expect(page.Locator("#action-reason")).ToContainTextAsync("no device connected");
            foreach (ILocator b in await page.Locator("button[data-action]").AllAsync())
            {
                await Expect(b).ToBeDisabledAsync();
                await Expect(b).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("no device connected"));
            }
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("live-no-device.png") });
        }
    }
}
