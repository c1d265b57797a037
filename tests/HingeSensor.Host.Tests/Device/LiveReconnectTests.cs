using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Cli;
using HingeSensor.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge live` against `hinge virtual-device` (in this process, on a loopback port) switched off
    /// (a power cut) and on again: the view says the link is lost, reconnects by itself and goes on.
    /// A killed device process: <see cref="VirtualDeviceProcessTests"/>.
    /// </summary>
    [StartsEarly(3)]
    public class LiveReconnectTests
    {
        private readonly ITestOutputHelper _out;

        public LiveReconnectTests(ITestOutputHelper output) => _out = output;

        /// <summary>`hinge live` in this process, so that its output can be watched while it runs.</summary>
        private static (Task<int> Run, StringWriter Out, StringWriter Err, CancellationTokenSource CtrlC) StartLive(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            var ctrlC = new CancellationTokenSource();
            var config = new InvocationConfiguration { Output = TextWriter.Synchronized(o), Error = TextWriter.Synchronized(e) };
            Task<int> run = Task.Run(() => HingeCli.Build().Parse(args).InvokeAsync(config, ctrlC.Token));
            return (run, o, e, ctrlC);
        }

        /// <summary>Waits (bounded) until a line of <paramref name="w"/> satisfies <paramref name="found"/>; false if the command ended first or the time ran out.</summary>
        private static async Task<bool> WaitForLineAsync(StringWriter w, Func<string, bool> found, Task run, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (w.ToString().Split('\n').Any(found)) return true;
                if (run.IsCompleted) return w.ToString().Split('\n').Any(found);
                await Task.Delay(50);
            }
            return false;
        }

        /// <summary>
        /// Device seconds per wall second. Status lines come every 2 s of wall time, and the first
        /// test wants two after the reconnection: at ×10 the ~58 s of its 60 still to stream last ~6 s.
        /// </summary>
        private const double Speed = 10;

        /// <summary>The device switched off under the host: the server goes, and the host's connection with it.</summary>
        private static async Task PowerCutAsync(VirtualDeviceRun device) => await device.DisposeAsync();

        private static bool IsStatusLine(string line) => line.StartsWith("  t ", StringComparison.Ordinal);

        [Fact]
        public async Task Live_says_the_link_is_lost_reconnects_when_the_device_returns_and_still_ends_at_its_seconds()
        {
            using var dir = new TempDir();
            string state = dir.File("flash");
            // A port no other socket is handed while the device is off: it comes back at the same address.
            VirtualDeviceRun? device = await VirtualDeviceRun.StartAsync(state, LoopbackPorts.OutsideEphemeralRange(), Speed);
            string url = device.Url;
            var (run, o, e, ctrlC) = StartLive("live", "--device", url, "--seconds", "60", "--json");
            try
            {
                Assert.True(await WaitForLineAsync(e, IsStatusLine, run, TimeSpan.FromSeconds(60)), "no frames before the power cut: " + e);
                await PowerCutAsync(device);
                device = null;
                Assert.True(await WaitForLineAsync(e, l => l.StartsWith("link lost: ", StringComparison.Ordinal), run, TimeSpan.FromSeconds(30)), "no 'link lost': " + e);
                Assert.Contains("reconnecting", e.ToString());
                Assert.False(run.IsCompleted, "live ended when the link dropped: " + e);

                device = await VirtualDeviceRun.RestartAsync(state, url, Speed);
                Assert.True(await WaitForLineAsync(e, l => l == "reconnected", run, TimeSpan.FromSeconds(60)), "no 'reconnected': " + e);
                // 60 s of streaming, most of it after the cut: it ends by itself, as without a cut.
                Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3)));
                Assert.True(finished == run, "live did not end at its --seconds: " + e);
                Assert.True(await run == 0, e.ToString());
                _out.WriteLine(e.ToString());

                string people = e.ToString();
                string[] lines = people.Split('\n');
                int lostAt = Array.FindIndex(lines, l => l.StartsWith("link lost: ", StringComparison.Ordinal));
                int backAt = Array.FindIndex(lines, l => l == "reconnected");
                Assert.True(lostAt < backAt, people);
                // Frames came again after the reconnection: status lines with a device time that moves.
                var timesAfter = lines.Skip(backAt + 1).Where(IsStatusLine)
                    .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Distinct().ToList();
                Assert.True(timesAfter.Count >= 2, "frames did not resume after reconnecting: " + people);
                using JsonDocument j = JsonDocument.Parse(o.ToString());
                Assert.True(j.RootElement.GetProperty("disconnects").GetInt64() >= 1, o.ToString());
                Assert.True(j.RootElement.GetProperty("reconnects").GetInt32() >= 1, o.ToString());
            }
            finally
            {
                ctrlC.Cancel();
                if (device != null) await device.DisposeAsync();
            }
        }

        [Fact]
        public async Task Ctrl_c_ends_live_while_it_waits_for_a_device_that_does_not_come_back()
        {
            using var dir = new TempDir();
            VirtualDeviceRun? device = await VirtualDeviceRun.StartAsync(dir.File("flash"), speed: Speed);
            // Without --json what people read goes to stdout.
            var (run, o, _, ctrlC) = StartLive("live", "--device", device.Url);
            try
            {
                Assert.True(await WaitForLineAsync(o, IsStatusLine, run, TimeSpan.FromSeconds(60)), "no frames: " + o);
                await PowerCutAsync(device);
                device = null;
                Assert.True(await WaitForLineAsync(o, l => l.StartsWith("still reconnecting: ", StringComparison.Ordinal), run, TimeSpan.FromSeconds(30)), "no failed attempt reported: " + o);
                Assert.False(run.IsCompleted, o.ToString());

                ctrlC.Cancel();
                Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(finished == run, "Ctrl+C did not end live while it was reconnecting");
                _out.WriteLine($"exit code {await run}");
            }
            finally
            {
                ctrlC.Cancel();
                if (device != null) await device.DisposeAsync();
            }
        }
    }
}
