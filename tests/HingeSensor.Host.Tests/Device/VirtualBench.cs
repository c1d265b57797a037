using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Simulation.Choreography;
using Xunit;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;
using HingeSensor.TestSupport;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>A virtual device in this process with its flash in a directory, and a host connection to it.</summary>
    internal static class VirtualBench
    {
        public static VirtualDeviceHost StartDevice(string flashDir, double speed = 0, AttLinkSettings? link = null, string scenario = "demo")
        {
            var (s, _) = ScenarioLoader.Load(scenario);
            var host = new VirtualDeviceHost(s, s.Seeds[0], new DirectoryFileStore(flashDir), speed, link);
            host.Start();
            return host;
        }

        /// <summary>Connects through a <see cref="TamperingLink"/>: tests can watch the requests, and <see cref="CalibrateAsync"/> holds the device while it asks.</summary>
        public static Task<DeviceConnection> ConnectAsync(VirtualDeviceHost host, int mtu = 247, bool live = false) =>
            DeviceConnection.OpenAsync(new TamperingLink(new VirtualDeviceLink(host, mtu)), live, CancellationToken.None, host, "virtual");

        /// <summary>
        /// How fast a device to be calibrated runs until <see cref="CalibrateAsync"/>: slowly enough
        /// that the host's handshake (whose answers need the device's loop) ends long before the
        /// wearer's still stance has settled, however busy the machine — 0.4 s of device time is 8 s here.
        /// </summary>
        public const double HandshakeSpeed = 0.05;

        /// <summary>
        /// Calibrates as the wearer's script allows: neutral 0.4 s into the still stance, hinge as
        /// the slow hinge begins. Meanwhile the device runs as fast as it goes, held at those two
        /// moments until each request is on the link (<see cref="DeviceHold"/>), so each reaches the
        /// device at exactly its moment of the script; the moment the hinge capture ends it is back
        /// at its own speed (set on the device's thread, as the result leaves it), so it does not run
        /// on unpaced while the test gets going. Start the device at <see cref="HandshakeSpeed"/> and
        /// connect with <see cref="ConnectAsync"/>.
        /// </summary>
        public static async Task CalibrateAsync(VirtualDeviceHost host, DeviceClient client)
        {
            var link = client.Link as TamperingLink ?? throw new ArgumentException("connect with VirtualBench.ConnectAsync: the calibration holds the device while it asks");
            var plan = host.Rig.Simulation.Plan;
            PlannedActivity neutral = plan.First(p => p.Kind == ActivityKind.CalibrateNeutral);
            PlannedActivity hinge = plan.First(p => p.Kind == ActivityKind.CalibrateHinge);
            double speed = host.Speed;
            using var hold = new DeviceHold(host, neutral.StartS + 0.4, hinge.StartS);
            host.Speed = 0;
            var n = await hold.AskAsync(link, () => client.CalibrateAsync(CalibrationStep.Neutral, TimeSpan.FromSeconds(30)));
            Assert.Equal(CalibrationStatus.Ok, n.Status);
            link.Tamper = (uuid, v) =>
            {
                if (v.Length > 1 && v[0] == (byte)ControlMessage.Event && v[1] == (byte)DeviceEvent.CalibrationDone) host.Speed = speed;
                return new[] { v };
            };
            try
            {
                var h = await hold.AskAsync(link, () => client.CalibrateAsync(CalibrationStep.Hinge, TimeSpan.FromSeconds(30)));
                Assert.Equal(CalibrationStatus.Ok, h.Status);
            }
            finally
            {
                link.Tamper = null;
                host.Speed = speed;
            }
        }

        /// <summary>Starts `hinge virtual-device` as its own process and waits for the line that says where it listens.</summary>
        public static (System.Diagnostics.Process Process, string Url) StartProcess(string stateDir, string listen, double speed = 5)
        {
            string hinge = Path.Combine(AppContext.BaseDirectory, "hinge.dll");
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { hinge, "virtual-device", "--listen", listen, "--speed", speed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state-dir", stateDir })
                psi.ArgumentList.Add(a);
            var p = System.Diagnostics.Process.Start(psi)!;
            Task<string?> line = p.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result == null)
            {
                p.Kill(true);
                throw new InvalidOperationException("virtual-device did not start: " + p.StandardError.ReadToEnd());
            }
            string url = line.Result.Split(' ').First(w => w.StartsWith("tcp://"));
            return (p, url);
        }

        /// <summary>Waits until the device has computed the session's digest (its list entry stops saying "digest pending").</summary>
        public static async Task WaitForDigestAsync(DeviceClient client, int sessionId)
        {
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while ((await client.ListSessionsAsync()).Single(e => e.Id == sessionId).Flags is int f && (f & SessionEntry.FlagDigestPending) != 0)
            {
                if (patience.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"session {sessionId}: the device never finished its digest");
                await Task.Delay(50);
            }
        }

        /// <summary>The session file exactly as the device's flash holds it.</summary>
        public static byte[] FlashFile(string flashDir, int sessionId) => File.ReadAllBytes(Path.Combine(flashDir, "hinge", $"S{sessionId:D5}.hs"));

        public static void CopyDirectory(string from, string to)
        {
            foreach (string d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
            Directory.CreateDirectory(to);
            foreach (string f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to), true);
        }
    }

    /// <summary>
    /// One long session recorded once for the test run (the real firmware on the simulated wearer,
    /// unpaced) and kept as a flash directory; each test boots a fresh device from a copy of it.
    /// </summary>
    public sealed class RecordedFlash : IDisposable
    {
        public const double RecordSeconds = 480; // at 25 frames/s: a file as big as the 240 s at 50 frames/s the download tests were sized for
        private readonly TempDir _dir = new();

        public RecordedFlash()
        {
            FlashDir = Path.Combine(_dir.Path, "flash");
            using VirtualDeviceHost host = VirtualBench.StartDevice(FlashDir);
            Task.Run(async () =>
            {
                await using DeviceConnection d = await VirtualBench.ConnectAsync(host);
                DeviceConfig c = await d.Client.ReadConfigAsync();
                c.RecordRateHz = DeviceConfig.ReportRateHz; // the densest the device records: a bigger file for throughput
                await d.Client.WriteConfigAsync(c);
                ControlResponse r = await d.Client.RequireAsync(Opcode.StartRecording);
                SessionId = r.Payload[0] | (r.Payload[1] << 8);
                double start = host.TimeS;
                host.WaitForDeviceTime(start + RecordSeconds, TimeSpan.FromMinutes(2));
                await d.Client.RequireAsync(Opcode.StopRecording);
                // Its digest (and the record that keeps it over a reboot) follows within a second of device time.
                await VirtualBench.WaitForDigestAsync(d.Client, SessionId);
            }).GetAwaiter().GetResult();
            Bytes = VirtualBench.FlashFile(FlashDir, SessionId);
        }

        public string FlashDir { get; }
        public int SessionId { get; private set; }
        public byte[] Bytes { get; }

        public string Copy(TempDir into)
        {
            string to = Path.Combine(into.Path, "flash-" + Guid.NewGuid().ToString("N")[..8]);
            VirtualBench.CopyDirectory(FlashDir, to);
            return to;
        }

        public void Dispose() => _dir.Dispose();
    }

    /// <summary>The tests that boot from <see cref="RecordedFlash"/> share one recording (they read it, each from its own copy).</summary>
    [CollectionDefinition(Name)]
    [StartsEarly(4)]
    public sealed class RecordedFlashCollection : ICollectionFixture<RecordedFlash>
    {
        public const string Name = "recorded flash";
    }
}
