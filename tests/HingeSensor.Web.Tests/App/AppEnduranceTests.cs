using HingeSensor.TestSupport;
using System;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests.App
{
    /// <summary>
    /// The web app's live page over ten minutes of virtual time, time-compressed twenty-fold,
    /// through the app's own WebSocket transport to `hinge serve --virtual`'s device: every frame
    /// the device sends is received (its sequence numbers run on without a hole) and the page
    /// keeps drawing, while neither its DOM nor its heap grows. In the endurance collection, beside
    /// the dashboard's own run.
    /// </summary>
    [Collection(EnduranceCollection.Name)]
    public class AppEnduranceTests
    {
        private const double Speed = 20;
        private const double VirtualSeconds = 600;

        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public AppEnduranceTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        // received, drawn, the last sequence number, gaps, frames lost, malformed, disconnects.
        private const string PageStats = "() => { const s = hingeApp.live.stats, c = hingeApp.client, h = c.health; return [s.received, s.drawn, c.lastSequence, h.gaps, h.lostFrames, h.malformedTotal, h.disconnects]; }";

        [SkippableFact]
        public async Task Ten_minutes_of_live_view_receive_every_frame_and_grow_neither_the_page_nor_its_heap()
        {
            await using AppPage app = await AppPage.OpenAsync(_browser.Browser, AppPage.Phone);
            IPage page = app.Page;
            // Calibrated by the dashboard at the wearer's moments (paced in real time, however busy
            // the machine), then lent to the app.
            await using var dash = await TestDashboard.StartAsync("web/workout-10min", Speed, autoCalibrate: true);
            VirtualDeviceHost host = (await dash.DeviceAsync()).Virtual!;
            await ConnectOnceLentAsync(app, dash.Url + "/app", host);
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            // Let the log's pool fill with the first alerts and the JIT settle before the baseline.
            await TestDashboard.WaitForDeviceTimeAsync(host, host.TimeS + 20, TimeSpan.FromSeconds(30));

            // Counted at either end with the device's loop held and the page caught up: then the
            // frames the device handed to its stack and those the page received can be compared.
            var run = await LivePageEndurance.RunAsync(page, host, PageStats, () => host.Rig.Core.Live.Sent, VirtualSeconds, "app");
            var (start, statsStart, sentStart) = (run.Start.Sample, run.Start.Stats, run.Start.Device);
            var (end, statsEnd, sentEnd) = (run.End.Sample, run.End.Stats, run.End.Device);
            double wallS = run.WallS;
            int maxElements = run.MaxElements, minElements = run.MinElements;
            long maxHeap = run.MaxHeap;

            double received = statsEnd[0] - statsStart[0], drawn = statsEnd[1] - statsStart[1];
            double sequenceSpan = ((long)statsEnd[2] - (long)statsStart[2]) & 0xFFFF;
            long deviceFrames = sentEnd - sentStart;
            double deviceSeconds = end.DeviceS - start.DeviceS;
            var report = new
            {
                virtual_seconds = Math.Round(deviceSeconds, 1),
                wall_seconds = Math.Round(wallS, 1),
                speed = Speed,
                heap_start_bytes = start.HeapBytes,
                heap_end_bytes = end.HeapBytes,
                heap_max_uncollected_bytes = maxHeap,
                dom_elements_start = start.Elements,
                dom_elements_end = end.Elements,
                dom_elements_min = minElements,
                dom_elements_max = maxElements,
                device_frames_sent = deviceFrames,
                app_frames_received = (long)received,
                app_sequence_span = (long)sequenceSpan,
                device_frames_per_virtual_second = Math.Round(received / deviceSeconds, 1),
                app_frames_per_wall_second = Math.Round(received / wallS),
                app_draws_per_wall_second = Math.Round(drawn / wallS, 1),
                gaps = statsEnd[3] - statsStart[3],
                frames_lost = statsEnd[4] - statsStart[4],
                malformed = statsEnd[5] - statsStart[5],
                disconnects = statsEnd[6] - statsStart[6],
                device_live_packets_dropped = host.Rig.Core.Live.Dropped,
            };
            string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
            _out.WriteLine(json);
            File.WriteAllText(BrowserFixture.Artifact("app-endurance.json"), json);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("app-live-after-10-minutes.png") });

            Assert.Equal(start.Elements, end.Elements);
            Assert.Equal(start.Elements, maxElements);
            Assert.Equal(start.Elements, minElements);
            long growth = end.HeapBytes - start.HeapBytes;
            // Measured: ≈ 0.1 MB (code and caches settling). Keeping each frame's object (≈ 130 bytes) would be 2 MB.
            Assert.True(growth < 600_000, $"the app's heap grew from {start.HeapBytes} to {end.HeapBytes} bytes over {received} frames");
            // Every frame: the sequence numbers ran on one by one, none lost, none malformed, the link never dropped.
            Assert.Equal(sequenceSpan, received);
            Assert.Equal(0, statsEnd[3] - statsStart[3]);
            Assert.Equal(0, statsEnd[5] - statsStart[5]);
            Assert.Equal(0, statsEnd[6] - statsStart[6]);
            // What the device handed to its stack arrived, up to the packets still queued at either end (≈ 0.1 s).
            Assert.InRange(received, deviceFrames - 25 * 0.2, deviceFrames + 25 * 0.2);
            Assert.InRange(received / deviceSeconds, 24.5, 25.5); // the default live rate, 25 frames/s
            Assert.True(drawn > 20 * wallS, $"the app drew {drawn} frames in {wallS:0} s");
            app.AssertNoErrors();
        }

        // The dashboard lends its device once its calibration is over (until then it is busy with it: the app is told so, and tries again).
        private static async Task ConnectOnceLentAsync(AppPage app, string appUrl, VirtualDeviceHost host)
        {
            var patience = Stopwatch.StartNew();
            var segments = host.Rig.Core.Tracker.Calibration.Segments;
            while (!segments.All(s => s.HasNeutral && s.HasHinge))
            {
                Assert.True(patience.Elapsed < TimeSpan.FromSeconds(60), $"the dashboard did not calibrate the wearer (device time {host.TimeS:0.0} s)");
                await Task.Delay(50);
            }
            IPage page = app.Page;
            await page.GotoAsync(appUrl);
            while (true)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Connect to this dashboard's virtual device" }).ClickAsync();
                await app.WaitAsync("document.getElementById('link-state').dataset.state === 'connected' || document.getElementById('connect-result').className === 'error'");
                if (await page.Locator("#link-state").GetAttributeAsync("data-state") == "connected") return;
                string said = (await page.Locator("#connect-result").TextContentAsync())!;
                Assert.True(said.Contains("busy with its device") && patience.Elapsed < TimeSpan.FromSeconds(60), "the app could not borrow the device: " + said);
                await Task.Delay(100);
            }
        }
    }
}
