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
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// `hinge live` against a `hinge virtual-device` process that is killed (a power cut) and
    /// started again: the view says the link is lost, reconnects by itself and goes on.
    /// </summary>
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

        private static bool IsStatusLine(string line) => line.StartsWith("  t ", StringComparison.Ordinal);

        /// <summary>Starts the device again on the port it had; retries if the kernel has not let go of the port yet.</summary>
        private static Process Restart(string state, string url)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return VirtualBench.StartProcess(state, url["tcp://".Length..]).Process;
                }
                catch (InvalidOperationException e) when (attempt < 10 && e.Message.Contains("cannot listen"))
                {
                    Thread.Sleep(500);
                }
            }
        }

        [Fact]
        public async Task Live_says_the_link_is_lost_reconnects_when_the_device_returns_and_still_ends_at_its_seconds()
        {
            using var dir = new TempDir();
            string state = dir.File("flash");
            var (first, url) = VirtualBench.StartProcess(state, "127.0.0.1:0", speed: 5);
            Process? second = null;
            var (run, o, e, ctrlC) = StartLive("live", "--device", url, "--seconds", "60", "--json");
            try
            {
                Assert.True(await WaitForLineAsync(e, IsStatusLine, run, TimeSpan.FromSeconds(60)), "no frames before the power cut: " + e);
                first.Kill(entireProcessTree: true);
                first.WaitForExit();
                Assert.True(await WaitForLineAsync(e, l => l.StartsWith("link lost: ", StringComparison.Ordinal), run, TimeSpan.FromSeconds(30)), "no 'link lost': " + e);
                Assert.Contains("reconnecting", e.ToString());
                Assert.False(run.IsCompleted, "live ended when the link dropped: " + e);

                second = Restart(state, url);
                Assert.True(await WaitForLineAsync(e, l => l == "reconnected", run, TimeSpan.FromSeconds(60)), "no 'reconnected': " + e);
                // 60 s of streaming at ×5, most of it after the cut: it ends by itself, as without a cut.
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
                if (!first.HasExited) first.Kill(true);
                if (second != null && !second.HasExited) second.Kill(true);
            }
        }

        [Fact]
        public async Task Ctrl_c_ends_live_while_it_waits_for_a_device_that_does_not_come_back()
        {
            using var dir = new TempDir();
            var (device, url) = VirtualBench.StartProcess(dir.File("flash"), "127.0.0.1:0", speed: 5);
            // Without --json what people read goes to stdout.
            var (run, o, _, ctrlC) = StartLive("live", "--device", url);
            try
            {
                Assert.True(await WaitForLineAsync(o, IsStatusLine, run, TimeSpan.FromSeconds(60)), "no frames: " + o);
                device.Kill(entireProcessTree: true);
                device.WaitForExit();
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
                if (!device.HasExited) device.Kill(true);
            }
        }
    }
}
