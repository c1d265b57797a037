using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace HingeSensor.Web.Tests
{
    /// <summary>
    /// Ten minutes of virtual time on the live page, time-compressed twenty-fold (≈1000 device
    /// frames/s reaching the server): the page keeps count of every frame, and neither its DOM nor
    /// its heap grows.
    /// </summary>
    [Collection(EnduranceCollection.Name)]
    public class EnduranceTests
    {
        private const double Speed = 20;
        private const double VirtualSeconds = 600;

        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public EnduranceTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        private const string PageStats = "() => { const s = window.hingeDashboard.stats; return [s.frames, s.messages, s.draws, s.skippedUpdates, s.lostFrames]; }";

        [SkippableFact]
        public async Task Ten_minutes_at_fifty_frames_per_second_keep_the_page_counting_every_frame_without_growing()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync("web/workout-10min", Speed, autoCalibrate: true);
            DeviceConnection device = await dash.DeviceAsync();
            var host = device.Virtual!;
            await page.GotoAsync(dash.Url + "/");
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            // Let the first alerts fill some of the log's lines and the JIT settle before the baseline.
            await TestDashboard.WaitForDeviceTimeAsync(host, host.TimeS + 20, TimeSpan.FromSeconds(30));

            // Counted at either end with the device's loop held and the page caught up: no frame in
            // flight between the page's count and the server's, however busy the machine.
            var run = await LivePageEndurance.RunAsync(page, host, PageStats, () => dash.Server.Hub.FramesReceived, VirtualSeconds, "page");
            var (start, statsStart, serverStart) = (run.Start.Sample, run.Start.Stats, run.Start.Device);
            var (end, statsEnd, serverEnd) = (run.End.Sample, run.End.Stats, run.End.Device);
            double wallS = run.WallS;
            int maxElements = run.MaxElements, minElements = run.MinElements;
            long maxHeap = run.MaxHeap;

            double pageFrames = statsEnd[0] - statsStart[0], messages = statsEnd[1] - statsStart[1], draws = statsEnd[2] - statsStart[2];
            long serverFrames = serverEnd - serverStart;
            var report = new
            {
                virtual_seconds = Math.Round(end.DeviceS - start.DeviceS, 1),
                wall_seconds = Math.Round(wallS, 1),
                speed = Speed,
                heap_start_bytes = start.HeapBytes,
                heap_end_bytes = end.HeapBytes,
                heap_max_uncollected_bytes = maxHeap,
                dom_elements_start = start.Elements,
                dom_elements_end = end.Elements,
                dom_elements_min = minElements,
                dom_elements_max = maxElements,
                server_frames = serverFrames,
                page_frames = (long)pageFrames,
                page_frames_per_second = Math.Round(pageFrames / wallS),
                device_frames_per_virtual_second = Math.Round(pageFrames / (end.DeviceS - start.DeviceS), 1),
                page_updates_per_second = Math.Round(messages / wallS, 1),
                page_draws_per_second = Math.Round(draws / wallS, 1),
                skipped_updates = statsEnd[3] - statsStart[3],
                lost_frames_seen_by_page = statsEnd[4] - statsStart[4],
                link_gaps = device.Client.Health.Gaps,
            };
            string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
            _out.WriteLine(json);
            File.WriteAllText(BrowserFixture.Artifact("endurance.json"), json);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("live-after-10-minutes.png") });

            Assert.Equal(start.Elements, end.Elements);
            Assert.Equal(start.Elements, maxElements);
            Assert.Equal(start.Elements, minElements);
            long growth = end.HeapBytes - start.HeapBytes;
            Assert.True(growth < 2_000_000 || growth < start.HeapBytes / 5, $"the page's heap grew from {start.HeapBytes} to {end.HeapBytes} bytes");
            // Every frame the server received is accounted for on the page, up to the updates in flight at either end (≈ 0.1 s; none with the device held).
            Assert.InRange(pageFrames, serverFrames - Speed * 25 * 0.2, serverFrames + Speed * 25 * 0.2);
            Assert.InRange(pageFrames / (end.DeviceS - start.DeviceS), 22.5, 27.5); // the default live rate, 25 frames/s
            Assert.True(draws > 0.5 * messages || draws > 20 * wallS, $"the page drew {draws} times for {messages} updates in {wallS:0} s");
        }
    }
}
