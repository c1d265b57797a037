using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Host.Link;
using HingeSensor.Host.Link.BlueZ;
using Xunit;

namespace HingeSensor.Host.Tests.BlueZ
{
    /// <summary>
    /// The BlueZ transport end to end against <see cref="FakeBlueZ"/> on a private dbus-daemon: the
    /// same D-Bus calls, signals and wire types real BlueZ would see and send.
    /// </summary>
    public sealed class BlueZLinkTests
    {
        // Bounds on waits for answers that come at once, not durations anything waits out: they
        // only end a test that is failing anyway. "No BlueZ" failed once with 3 s on a machine
        // running four builds; not reproduced in six parallel runs, so the bound is the suspect.
        private static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

        [SkippableFact]
        public async Task Scan_finds_the_cached_device_with_the_rssi_discovery_reports()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            var scanner = new BlueZScanner(bus.Address) { CallTimeout = Short };

            IReadOnlyList<DeviceAdvertisement> found = await scanner.ScanAsync(TimeSpan.FromMilliseconds(200), Timeout());

            DeviceAdvertisement device = Assert.Single(found);
            Assert.Equal(new DeviceAdvertisement("HingeSensor", FakeBlueZ.DeviceAddress, -48, "BlueZ hci0"), device);
            Assert.NotNull(fake.DiscoveryFilter);
            Assert.Equal(new[] { GattIds.HingeService }, fake.DiscoveryFilter!["UUIDs"].GetArray<string>());
            Assert.Equal("le", fake.DiscoveryFilter["Transport"].GetString());
            string[] calls = fake.Calls.ToArray();
            int start = Array.FindIndex(calls, c => c.StartsWith("org.bluez.Adapter1.StartDiscovery ", StringComparison.Ordinal));
            int stop = Array.FindIndex(calls, c => c.StartsWith("org.bluez.Adapter1.StopDiscovery ", StringComparison.Ordinal));
            Assert.True(start >= 0 && stop > start, string.Join("\n", calls));
        }

        [SkippableFact]
        public async Task Scan_finds_a_device_that_discovery_adds()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { DeviceKnown = false });
            var scanner = new BlueZScanner(bus.Address) { CallTimeout = Short };

            IReadOnlyList<DeviceAdvertisement> found = await scanner.ScanAsync(TimeSpan.FromMilliseconds(200), Timeout());

            DeviceAdvertisement device = Assert.Single(found);
            Assert.Equal(FakeBlueZ.DeviceAddress, device.Address);
            Assert.Equal(-55, device.Rssi);
        }

        [SkippableFact]
        public async Task Scan_with_the_adapter_powered_off_says_how_to_power_it_on()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Powered = false });
            var scanner = new BlueZScanner(bus.Address) { CallTimeout = Short };

            var e = await Assert.ThrowsAsync<LinkUnavailableException>(() => scanner.ScanAsync(TimeSpan.FromMilliseconds(100), Timeout()));

            Assert.Contains("powered off", e.Message);
            Assert.Contains("bluetoothctl power on", e.Message);
        }

        [SkippableFact]
        public async Task Connect_resolves_the_services_and_reads_the_mtu()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);

            await link.ConnectAsync(Timeout());

            Assert.True(link.IsConnected);
            Assert.True(fake.IsConnected);
            Assert.Equal(247, link.Mtu);
            Assert.Equal("BlueZ hci0 → AA:BB:CC:DD:EE:FF", link.Description);
            Assert.DoesNotContain(fake.Calls, c => c.StartsWith("org.bluez.Device1.Pair ", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task Connect_falls_back_to_mtu_23_without_the_property()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Mtu = null });
            await using var link = Link(bus);

            await link.ConnectAsync(Timeout());

            Assert.Equal(GattIds.MinimumMtu, link.Mtu);
        }

        [SkippableFact]
        public async Task Connect_to_a_device_this_computer_is_not_paired_with_says_how_to_pair_and_neither_connects_nor_pairs()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { Paired = false });
            await using var link = Link(bus);

            var e = await Assert.ThrowsAsync<NotPairedException>(() => link.ConnectAsync(Timeout()));

            Assert.Equal("HingeSensor AA:BB:CC:DD:EE:FF is not paired with this computer: open the pairing window on the device "
                + "(hold its button for 4 s, until it buzzes three short and one long) and run `hinge pair --device AA:BB:CC:DD:EE:FF`", e.Message);
            Assert.False(link.IsConnected);
            Assert.False(fake.IsConnected);
            Assert.DoesNotContain(fake.Calls, c => c.StartsWith("org.bluez.Device1.Connect ", StringComparison.Ordinal) || c.StartsWith("org.bluez.Device1.Pair ", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task Connect_to_a_device_bluez_does_not_know_says_to_scan_first()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { DeviceKnown = false });
            await using var link = Link(bus);

            var e = await Assert.ThrowsAsync<LinkUnavailableException>(() => link.ConnectAsync(Timeout()));

            Assert.Contains("BlueZ does not know AA:BB:CC:DD:EE:FF", e.Message);
        }

        [SkippableFact]
        public async Task A_failed_connect_is_unavailable_with_bluez_reason()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            fake.Failures["org.bluez.Device1.Connect"] = ("org.bluez.Error.Failed", "le-connection-abort-by-local");
            await using var link = Link(bus);

            var e = await Assert.ThrowsAsync<LinkUnavailableException>(() => link.ConnectAsync(Timeout()));

            Assert.Contains("le-connection-abort-by-local", e.Message);
            Assert.Contains("org.bluez.Error.Failed", e.Message);
            Assert.False(link.IsConnected);
        }

        [SkippableFact]
        public async Task Read_returns_the_characteristic_value()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            fake.ReadValues[GattIds.Status] = new byte[] { 1, 2, 3, 250 };
            await using var link = Link(bus);
            await link.ConnectAsync(Timeout());

            byte[] status = await link.ReadAsync(GattIds.Status, Timeout());
            byte[] firmware = await link.ReadAsync(Uuids.Of(GattIds.FirmwareRevision), Timeout());

            Assert.Equal(new byte[] { 1, 2, 3, 250 }, status);
            Assert.Empty(firmware);
        }

        [SkippableFact]
        public async Task Writes_reach_the_device_with_the_requested_write_type()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            await link.ConnectAsync(Timeout());

            await link.WriteAsync(GattIds.Control, new byte[] { 0x01, 7 }, withResponse: true, Timeout());
            await link.WriteAsync(GattIds.Control, new byte[] { 0x01, 8, 0xAB }, withResponse: false, Timeout());

            var writes = fake.Writes.ToArray();
            Assert.Equal(2, writes.Length);
            Assert.Equal((GattIds.Control, "request"), (writes[0].Uuid, writes[0].Type));
            Assert.Equal(new byte[] { 0x01, 7 }, writes[0].Value);
            Assert.Equal((GattIds.Control, "command"), (writes[1].Uuid, writes[1].Type));
            Assert.Equal(new byte[] { 0x01, 8, 0xAB }, writes[1].Value);
        }

        [SkippableFact]
        public async Task Notifications_arrive_in_order_with_their_bytes_after_subscribing()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            var received = new List<(string Uuid, byte[] Value)>();
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            const int expected = 1 + 50;
            link.NotificationReceived += (uuid, value) =>
            {
                lock (received)
                {
                    received.Add((uuid, value));
                    if (received.Count == expected)
                    {
                        all.TrySetResult();
                    }
                }
            };
            await link.ConnectAsync(Timeout());
            await link.SubscribeAsync(GattIds.Control, Timeout());
            await link.SubscribeAsync(GattIds.Live, Timeout());
            Assert.True(fake.IsNotifying(GattIds.Control) && fake.IsNotifying(GattIds.Live));

            await link.WriteAsync(GattIds.Control, new byte[] { (byte)Opcode.Identify, 42 }, withResponse: true, Timeout());
            for (int i = 0; i < 50; i++)
            {
                Assert.True(fake.Notify(GattIds.Live, new byte[] { (byte)i, (byte)(i * 3), 0x5A }));
            }
            await all.Task.WaitAsync(Short);

            lock (received)
            {
                Assert.Equal(expected, received.Count);
                Assert.Equal(GattIds.Control, received[0].Uuid);
                Assert.Equal(new byte[] { 0xF0, (byte)Opcode.Identify, 42, 0 }, received[0].Value);
                for (int i = 0; i < 50; i++)
                {
                    Assert.Equal(GattIds.Live, received[1 + i].Uuid);
                    Assert.Equal(new byte[] { (byte)i, (byte)(i * 3), 0x5A }, received[1 + i].Value);
                }
            }
        }

        [SkippableFact]
        public async Task Device_side_disconnect_raises_disconnected_and_later_calls_say_the_link_is_lost()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            var reasons = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            link.Disconnected += reason => reasons.TrySetResult(reason);
            await link.ConnectAsync(Timeout());
            await link.SubscribeAsync(GattIds.Live, Timeout());

            fake.DropLink();
            string why = await reasons.Task.WaitAsync(Short);

            Assert.Contains("AA:BB:CC:DD:EE:FF disconnected", why);
            Assert.False(link.IsConnected);
            await Assert.ThrowsAsync<LinkLostException>(() => link.ReadAsync(GattIds.Status, Timeout()));

            // Reconnecting works and needs a fresh subscription, as the interface says.
            await link.ConnectAsync(Timeout());
            Assert.True(link.IsConnected);
            Assert.False(fake.IsNotifying(GattIds.Live));
        }

        [SkippableFact]
        public async Task Losing_the_bus_raises_disconnected()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            var reasons = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            link.Disconnected += reason => reasons.TrySetResult(reason);
            await link.ConnectAsync(Timeout());

            bus.Dispose(); // the bus daemon dies under the link

            Assert.StartsWith("lost the D-Bus connection to BlueZ", await reasons.Task.WaitAsync(Short));
            Assert.False(link.IsConnected);
        }

        [SkippableFact]
        public async Task DisconnectAsync_disconnects_the_device_without_raising_disconnected()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            int raised = 0;
            link.Disconnected += _ => Interlocked.Increment(ref raised);
            await link.ConnectAsync(Timeout());

            await link.DisconnectAsync();
            // No wait needed for BlueZ's Connected = false signal: the fake emits it before it
            // answers Disconnect, D-Bus delivers one sender's messages in order, and the link runs
            // signal handlers on its receive loop before that answer completes DisconnectAsync.
            Assert.Contains(fake.Calls, c => c.StartsWith("org.bluez.Device1.Disconnect ", StringComparison.Ordinal));

            Assert.False(link.IsConnected);
            Assert.False(fake.IsConnected);
            Assert.Equal(0, raised);
        }

        [SkippableFact]
        public async Task A_device_that_forgot_its_bond_refuses_reads_and_writes_and_the_message_says_how_to_pair_again()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            await link.ConnectAsync(Timeout());
            fake.DeviceForgotBond = true; // the wearer cleared the bonds on the device

            var write = await Assert.ThrowsAsync<NotPairedException>(
                () => link.WriteAsync(GattIds.Control, new byte[] { 0x20, 1 }, withResponse: true, Timeout()));
            var read = await Assert.ThrowsAsync<NotPairedException>(() => link.ReadAsync(GattIds.Status, Timeout()));
            await link.SubscribeAsync(GattIds.Live, Timeout()); // the CCCD is open; the device just sends nothing
            byte[] firmware = await link.ReadAsync(Uuids.Of(GattIds.FirmwareRevision), Timeout()); // Device Information stays open

            Assert.StartsWith("writing " + GattIds.Control + ": Not paired (org.bluez.Error.NotPermitted) — AA:BB:CC:DD:EE:FF is not paired with this computer", write.Message);
            Assert.EndsWith("and run `hinge pair --device AA:BB:CC:DD:EE:FF`", read.Message);
            Assert.Empty(firmware);
        }

        [SkippableFact]
        public async Task Bluez_errors_after_connecting_are_link_lost()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            await using var link = Link(bus);
            await link.ConnectAsync(Timeout());
            fake.Failures["org.bluez.GattCharacteristic1.ReadValue"] = ("org.bluez.Error.Failed", "Not connected");

            var e = await Assert.ThrowsAsync<LinkLostException>(() => link.ReadAsync(GattIds.Config, Timeout()));

            Assert.Contains("reading " + GattIds.Config, e.Message);
            Assert.Contains("Not connected", e.Message);
        }

        [Fact]
        public async Task A_missing_system_bus_is_unavailable_with_a_clear_message()
        {
            string address = "unix:path=/nonexistent/hinge-test/system_bus_socket";

            var scan = await Assert.ThrowsAsync<LinkUnavailableException>(
                () => new BlueZScanner(address).ScanAsync(TimeSpan.FromMilliseconds(10), Timeout()));
            await using var link = new BlueZDeviceLink(FakeBlueZ.DeviceAddress, busAddress: address);
            var connect = await Assert.ThrowsAsync<LinkUnavailableException>(() => link.ConnectAsync(Timeout()));

            foreach (var e in new[] { scan, connect })
            {
                Assert.Equal("BlueZ is not reachable: no system D-Bus at /nonexistent/hinge-test/system_bus_socket — is the bluetooth service running?", e.Message);
            }
        }

        [SkippableFact]
        public async Task A_bus_without_bluez_says_bluez_is_not_running()
        {
            using var bus = StartBus();

            var scan = await Assert.ThrowsAsync<LinkUnavailableException>(
                () => new BlueZScanner(bus.Address) { CallTimeout = Short }.ScanAsync(TimeSpan.FromMilliseconds(10), Timeout()));
            await using var link = Link(bus);
            var connect = await Assert.ThrowsAsync<LinkUnavailableException>(() => link.ConnectAsync(Timeout()));

            Assert.StartsWith("BlueZ (org.bluez) is not running", scan.Message);
            Assert.StartsWith("BlueZ (org.bluez) is not running", connect.Message);
        }

        [SkippableFact]
        public async Task Bluez_without_an_adapter_says_there_is_no_adapter()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address, new FakeBlueZOptions { WithAdapter = false });

            var scan = await Assert.ThrowsAsync<LinkUnavailableException>(
                () => new BlueZScanner(bus.Address) { CallTimeout = Short }.ScanAsync(TimeSpan.FromMilliseconds(10), Timeout()));
            await using var link = Link(bus);
            var connect = await Assert.ThrowsAsync<LinkUnavailableException>(() => link.ConnectAsync(Timeout()));

            Assert.StartsWith("no Bluetooth adapter", scan.Message);
            Assert.StartsWith("no Bluetooth adapter", connect.Message);
        }

        [SkippableFact]
        public async Task The_scanner_opens_links_on_the_adapter_it_scanned_with()
        {
            using var bus = StartBus();
            using var fake = await FakeBlueZ.StartAsync(bus.Address);
            var scanner = new BlueZScanner(bus.Address) { CallTimeout = Short };
            DeviceAdvertisement device = Assert.Single(await scanner.ScanAsync(TimeSpan.FromMilliseconds(50), Timeout()));

            await using IDeviceLink link = scanner.Open(device);
            await link.ConnectAsync(Timeout());

            Assert.Equal("BlueZ hci0 → AA:BB:CC:DD:EE:FF", link.Description);
            Assert.True(link.IsConnected);
        }

        private static PrivateBus StartBus()
        {
            PrivateBus.SkipIfUnavailable();
            return new PrivateBus();
        }

        private static BlueZDeviceLink Link(PrivateBus bus) =>
            new(FakeBlueZ.DeviceAddress, "hci0", bus.Address) { ConnectTimeout = Short, CallTimeout = Short };

        /// <summary>Every test is over in seconds, even if something hangs.</summary>
        private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    }
}
