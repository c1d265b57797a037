using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.VirtualDevice;
using Microsoft.Playwright;
using Xunit;

namespace HingeSensor.Web.Tests
{
    /// <summary>
    /// A live page over minutes of virtual time: its counts and the device side's at either end,
    /// taken with the device's loop held and the page caught up (its frame count steady), so that
    /// no frame is in flight between the two, however busy the machine (the held moments are not
    /// in the wall time); the DOM's size and the JS heap sampled every 2 s in between. The
    /// dashboard's and the web app's endurance tests judge what it returns.
    /// </summary>
    internal static class LivePageEndurance
    {
        public sealed record Sample(double DeviceS, long HeapBytes, int Elements);

        /// <summary>One end: the page's sample (heap after a collection), its stats, the device side's count.</summary>
        public sealed record Count<T>(Sample Sample, double[] Stats, T Device);

        /// <summary>The run: both ends, the wall time between them, the extremes of the samples (heap uncollected).</summary>
        public sealed record Run<T>(Count<T> Start, Count<T> End, double WallS, int MinElements, int MaxElements, long MaxHeap);

        /// <param name="pageStats">A script returning the page's counts, the frames received first.</param>
        /// <param name="deviceCount">The device side's count, read while the loop is held.</param>
        public static async Task<Run<T>> RunAsync<T>(IPage page, VirtualDeviceHost host, string pageStats, Func<T> deviceCount, double virtualSeconds, string what)
        {
            ICDPSession cdp = await page.Context.NewCDPSessionAsync(page);
            async Task<Sample> MeasureAsync(bool collect)
            {
                if (collect) await cdp.SendAsync("HeapProfiler.collectGarbage");
                double[] m = await page.EvaluateAsync<double[]>("() => [performance.memory.usedJSHeapSize, document.getElementsByTagName('*').length]");
                return new Sample(host.TimeS, (long)m[0], (int)m[1]);
            }
            async Task<double[]> SteadyStatsAsync()
            {
                var patience = Stopwatch.StartNew();
                double[] last = await page.EvaluateAsync<double[]>(pageStats);
                while (true)
                {
                    await Task.Delay(100);
                    double[] now = await page.EvaluateAsync<double[]>(pageStats);
                    if (now[0] == last[0]) return now;
                    Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), $"the {what}'s frame count did not settle with the device held");
                    last = now;
                }
            }

            using var loop = new DeviceLoopGate(host);
            Task<Count<T>> CountAsync() => loop.WhileHeldAsync(async () =>
            {
                double[] stats = await SteadyStatsAsync();
                Sample sample = await MeasureAsync(collect: true);
                return new Count<T>(sample, stats, deviceCount());
            });

            Count<T> start = await CountAsync();
            var wall = Stopwatch.StartNew();
            int maxElements = start.Sample.Elements, minElements = start.Sample.Elements;
            long maxHeap = start.Sample.HeapBytes;
            while (host.TimeS < start.Sample.DeviceS + virtualSeconds)
            {
                Assert.True(wall.Elapsed < TimeSpan.FromMinutes(3), $"the virtual device reached only {host.TimeS - start.Sample.DeviceS:0} s of {virtualSeconds} s in 3 minutes");
                await Task.Delay(2000);
                Sample s = await MeasureAsync(collect: false);
                maxElements = Math.Max(maxElements, s.Elements);
                minElements = Math.Min(minElements, s.Elements);
                maxHeap = Math.Max(maxHeap, s.HeapBytes);
            }
            double wallS = wall.Elapsed.TotalSeconds;
            Count<T> end = await CountAsync();
            return new Run<T>(start, end, wallS, minElements, maxElements, maxHeap);
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
