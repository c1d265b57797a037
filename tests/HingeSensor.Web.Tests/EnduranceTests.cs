using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
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

        private sealed record Sample(double DeviceS, long HeapBytes, int Elements);

        private const string PageStats = "() => { const s = window.hingeDashboard.stats; return [s.frames, s.messages, s.draws, s.skippedUpdates, s.lostFrames]; }";

        [SkippableFact]
        public async Task Ten_minutes_at_fifty_frames_per_second_keep_the_page_counting_every_frame_without_growing()
        {
            await using BrowserPage browserPage = await _browser.OpenPageAsync();
            IPage page = browserPage.Page;
            await using var dash = await TestDashboard.StartAsync("web/workout-10min", Speed, autoCalibrate: true);
            DeviceConnection device = await dash.DeviceAsync();
            var host = device.Virtual!;
            ICDPSession cdp = await page.Context.NewCDPSessionAsync(page);
            await page.GotoAsync(dash.Url + "/");
            await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-calibrated", "true");
            // Let the first alerts fill some of the log's lines and the JIT settle before the baseline.
            await TestDashboard.WaitForDeviceTimeAsync(host, host.TimeS + 20, TimeSpan.FromSeconds(30));

            async Task<Sample> MeasureAsync(bool collect)
            {
                if (collect) await cdp.SendAsync("HeapProfiler.collectGarbage");
                double[] m = await page.EvaluateAsync<double[]>("() => [performance.memory.usedJSHeapSize, document.getElementsByTagName('*').length]");
                return new Sample(host.TimeS, (long)m[0], (int)m[1]);
            }

            // The page's and the server's counts at either end are taken with the device's loop held
            // and the page caught up (its count steady): no frame is in flight between the two counts,
            // however busy the machine. The held moments are not in the wall time.
            using var loop = new DeviceLoopGate(host);
            async Task<double[]> SteadyStatsAsync()
            {
                var patience = Stopwatch.StartNew();
                double[] last = await page.EvaluateAsync<double[]>(PageStats);
                while (true)
                {
                    await Task.Delay(100);
                    double[] now = await page.EvaluateAsync<double[]>(PageStats);
                    if (now[0] == last[0]) return now;
                    Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), "the page's frame count did not settle with the device held");
                    last = now;
                }
            }
            Task<(Sample Sample, double[] Stats, long Server)> CountAsync() => loop.WhileHeldAsync(async () =>
            {
                double[] stats = await SteadyStatsAsync();
                Sample sample = await MeasureAsync(collect: true);
                return (sample, stats, dash.Server.Hub.FramesReceived);
            });

            var (start, statsStart, serverStart) = await CountAsync();
            var wall = Stopwatch.StartNew();
            int maxElements = start.Elements, minElements = start.Elements;
            long maxHeap = start.HeapBytes;
            while (host.TimeS < start.DeviceS + VirtualSeconds)
            {
                Assert.True(wall.Elapsed < TimeSpan.FromMinutes(3), $"the virtual device reached only {host.TimeS - start.DeviceS:0} s of {VirtualSeconds} s in 3 minutes");
                await Task.Delay(2000);
                Sample s = await MeasureAsync(collect: false);
                maxElements = Math.Max(maxElements, s.Elements);
                minElements = Math.Min(minElements, s.Elements);
                maxHeap = Math.Max(maxHeap, s.HeapBytes);
            }
            double wallS = wall.Elapsed.TotalSeconds;
            var (end, statsEnd, serverEnd) = await CountAsync();

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

    /// <summary>Holds a virtual device's loop (through its rig's tick wrapper) while something is counted, then lets it run on.</summary>
    internal sealed class DeviceLoopGate : IDisposable
    {
        private readonly VirtualDeviceHost _host;
        private readonly ManualResetEventSlim _running = new(true);
        private readonly ManualResetEventSlim _held = new(false);

        public DeviceLoopGate(VirtualDeviceHost host)
        {
            _host = host;
            host.Rig.TickWrapper = tick =>
            {
                if (!_running.IsSet)
                {
                    _held.Set();
                    _running.Wait();
                    _held.Reset();
                }
                tick();
            };
        }

        /// <summary>Runs <paramref name="read"/> once the loop stands still (the patience only bounds a failure).</summary>
        public async Task<T> WhileHeldAsync<T>(Func<Task<T>> read)
        {
            _running.Reset();
            try
            {
                bool held = await Task.Run(() => _held.Wait(TimeSpan.FromSeconds(30)));
                Assert.True(held, $"the virtual device's loop did not come to a stop (at {_host.TimeS:0.0} s, failure: {_host.Failure?.Message})");
                return await read();
            }
            finally
            {
                _running.Set();
            }
        }

        public void Dispose()
        {
            _running.Set();
            _host.Rig.TickWrapper = null;
        }
    }
}
