using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Storage;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;

namespace HingeSensor.Host.Client
{
    /// <summary>Which device a command talks to.</summary>
    public sealed record DeviceSelection(bool Virtual, string? Device, string Scenario = "demo", int? Seed = null, double Speed = 20, int Mtu = 247);

    /// <summary>
    /// A connected device for a command: the link chosen by <see cref="DeviceSelection"/>
    /// (--virtual: the in-process virtual device, whose flash lives in the data directory so that
    /// successive commands see the same device — switched on for the command, booting from that
    /// flash, its wearer starting the script again; --device tcp://host:port: a `hinge
    /// virtual-device` process; --device NAME|ADDRESS: BlueZ), a protocol client on it, and
    /// reconnection (a download resumes by itself; a <see cref="LinkKeeper"/> keeps a live view going).
    /// </summary>
    public sealed class DeviceConnection : IAsyncDisposable
    {
        private readonly bool _live;

        // One reconnection at a time: a download resuming by itself and a LinkKeeper may both find the link down.
        private readonly SemaphoreSlim _reconnecting = new(1, 1);

        private DeviceConnection(DeviceClient client, VirtualDeviceHost? host, DeviceIdentityInfo identity, bool live)
        {
            Client = client;
            Virtual = host;
            Identity = identity;
            _live = live;
            client.Reconnect = ReconnectWithRetriesAsync;
        }

        public DeviceClient Client { get; }

        /// <summary>The in-process virtual device, when that is what is connected (its clock, its script).</summary>
        public VirtualDeviceHost? Virtual { get; }

        public DeviceIdentityInfo Identity { get; }

        public static async Task<DeviceConnection> OpenAsync(DeviceSelection sel, bool live, CancellationToken ct, string? virtualStateDir = null)
        {
            IDeviceLink link;
            VirtualDeviceHost? host = null;
            if (sel.Virtual)
            {
                var (scenario, _) = ScenarioLoader.Load(sel.Scenario);
                var files = new DirectoryFileStore(virtualStateDir ?? HingeHome.VirtualDevice(null));
                // Real time while the host says hello (see below); the chosen speed once connected.
                host = new VirtualDeviceHost(scenario, sel.Seed ?? scenario.Seeds[0], files, VirtualPacing.PersonSpeed(sel.Speed));
                host.Start();
                link = new VirtualDeviceLink(host, sel.Mtu, ownsHost: true);
            }
            else if (sel.Device != null && sel.Device.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                link = new LoopbackDeviceLink(IPEndPoint.Parse(sel.Device["tcp://".Length..]), sel.Mtu);
            }
            else
            {
                link = await BlueZLinks.OpenAsync(sel.Device, ct);
            }
            DeviceConnection d = await OpenAsync(link, live, ct, host, sel.Device ?? (sel.Virtual ? "virtual" : null));
            if (host != null) host.Speed = sel.Speed;
            return d;
        }

        /// <summary>
        /// Connects a protocol client over a link already chosen (tests hand in their own models).
        /// An in-process virtual device runs in real time during the handshake, however fast it
        /// runs otherwise: a busy host needs a varying while to connect, and at ×20 that while
        /// would be a varying stretch of the wearer's script gone by (the still stance the neutral
        /// calibration needs lasts 4 s from boot).
        /// </summary>
        public static async Task<DeviceConnection> OpenAsync(IDeviceLink link, bool live, CancellationToken ct, VirtualDeviceHost? host = null, string? address = null)
        {
            var client = new DeviceClient(link);
            double? speed = host?.Speed;
            if (host != null) host.Speed = VirtualPacing.PersonSpeed(host.Speed);
            try
            {
                await client.ConnectAsync(live, ct);
                string serial = await client.ReadDeviceInformationAsync(GattIds.SerialNumber, ct);
                string model = await client.ReadDeviceInformationAsync(GattIds.ModelNumber, ct);
                string firmware = await client.ReadDeviceInformationAsync(GattIds.FirmwareRevision, ct);
                DeviceConfig config = await client.ReadConfigAsync(ct);
                // The device has no battery-backed clock: every connection gives it the time, so
                // sessions recorded afterwards carry a real start time.
                await client.SetTimeAsync(DateTimeOffset.UtcNow, ct);
                return new DeviceConnection(client, host, new DeviceIdentityInfo(serial, config.DeviceName, address, model, firmware), live);
            }
            catch
            {
                await client.DisposeAsync();
                throw;
            }
            finally
            {
                if (host != null) host.Speed = speed!.Value;
            }
        }

        /// <summary>
        /// One attempt to get the link back: connect, subscribe again, and give the device the time
        /// again (a device that rebooted has lost its clock, and sessions it records next would
        /// start at 1970). Nothing to do if the link is already up (someone else brought it back).
        /// </summary>
        public async Task ReconnectAsync(CancellationToken ct)
        {
            await _reconnecting.WaitAsync(ct);
            try
            {
                if (Client.Link.IsConnected) return;
                await Client.ConnectAsync(_live, ct);
                await Client.SetTimeAsync(DateTimeOffset.UtcNow, ct);
            }
            finally
            {
                _reconnecting.Release();
            }
        }

        // For a download or sync under way: a short burst of attempts, then the error goes to the user.
        private async Task ReconnectWithRetriesAsync(CancellationToken ct)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await ReconnectAsync(ct);
                    return;
                }
                catch (Exception e) when ((e is LinkLostException || e is LinkUnavailableException || e is TimeoutException) && attempt < 20)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * attempt)), ct);
                }
            }
        }

        /// <summary>
        /// Runs one idempotent exchange with the device, reconnecting first if the link is down and
        /// once more if it drops during the exchange (a device that reboots mid-sync comes back).
        /// </summary>
        public async Task<T> WithReconnectAsync<T>(Func<CancellationToken, Task<T>> exchange, CancellationToken ct)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    if (!Client.Link.IsConnected && Client.Reconnect != null) await Client.Reconnect(ct);
                    return await exchange(ct);
                }
                catch (LinkLostException) when (attempt < 3 && Client.Reconnect != null)
                {
                    // go round: reconnect and ask again
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (Client.Link.IsConnected) await Client.Link.DisconnectAsync();
            }
            catch (Exception e) when (e is LinkLostException || e is IOException) { }
            await Client.DisposeAsync();
        }
    }
}
