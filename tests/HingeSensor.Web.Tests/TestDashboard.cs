using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Host.Client;
using HingeSensor.Host.Web;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Web.Tests
{
    /// <summary>
    /// A dashboard for one test: 127.0.0.1 on a free port, its own database and virtual-device
    /// flash in a scratch directory, optionally a virtual device running a scenario.
    /// </summary>
    public sealed class TestDashboard : IAsyncDisposable
    {
        private TestDashboard(DashboardServer server, string dir)
        {
            Server = server;
            Directory = dir;
            Url = server.Urls[0].TrimEnd('/');
        }

        public DashboardServer Server { get; }
        public string Directory { get; }
        public string Url { get; }
        public string DatabasePath => Path.Combine(Directory, "hinge.db");

        /// <param name="scenario">Runs the in-process virtual device with this wearer; <paramref name="device"/> instead opens that one (tcp://…); neither: no device.</param>
        /// <param name="holdButtonAtS">Device times at which the virtual wearer holds the button (`hinge serve --hold-button-at`); <paramref name="pairingSaid"/> gets the lines `hinge serve` prints of it.</param>
        public static async Task<TestDashboard> StartAsync(string? scenario = null, double speed = 1, bool autoCalibrate = false, string? database = null, string? device = null,
            double[]? holdButtonAtS = null, Action<string>? pairingSaid = null)
        {
            string dir = Path.Combine(Path.GetTempPath(), "hinge-web-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            var server = await DashboardServer.StartAsync(new DashboardOptions
            {
                Urls = new[] { "http://127.0.0.1:0" },
                DatabasePath = database ?? Path.Combine(dir, "hinge.db"),
                Device = scenario != null ? new DeviceSelection(true, null, scenario, null, speed)
                    : device != null ? new DeviceSelection(false, device)
                    : null,
                VirtualStateDirectory = Path.Combine(dir, "virtual-device"),
                AutoCalibrate = autoCalibrate,
                HoldButtonAtS = holdButtonAtS ?? Array.Empty<double>(),
                PairingSaid = pairingSaid,
            });
            return new TestDashboard(server, dir);
        }

        public Task<DeviceConnection> DeviceAsync() => Server.Device.WaitConnectedAsync(TimeSpan.FromSeconds(30));

        /// <summary>Waits (wall clock, bounded) until the virtual device's clock reaches t seconds.</summary>
        public static async Task WaitForDeviceTimeAsync(VirtualDeviceHost host, double t, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (host.TimeS < t)
            {
                if (host.Failure != null) throw new InvalidOperationException("the virtual device failed", host.Failure);
                if (sw.Elapsed > timeout) throw new TimeoutException($"the virtual device reached only {host.TimeS:0.0} s of {t:0.0} s in {timeout.TotalSeconds:0} s");
                await Task.Delay(10);
            }
        }

        /// <summary>Waits (wall clock, bounded, polling) until <paramref name="condition"/> holds.</summary>
        public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
                await Task.Delay(10);
            }
        }

        /// <summary>Runs the virtual device at ×20 until its clock reaches t (nothing the test watches happens meanwhile), then at its own speed again.</summary>
        public static async Task FastForwardAsync(VirtualDeviceHost host, double t, TimeSpan timeout)
        {
            double speed = host.Speed;
            host.Speed = Math.Max(speed, 20);
            try { await WaitForDeviceTimeAsync(host, t, timeout); }
            finally { host.Speed = speed; }
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
        }
    }
}
