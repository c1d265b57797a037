using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using HingeSensor.VirtualDevice.Models;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// The page's real Web Bluetooth calls (navigator.bluetooth in Chromium, a secure context on
    /// 127.0.0.1) against Chromium's DevTools Bluetooth emulation: first answered by hand from C#,
    /// then by the virtual device's firmware core through <see cref="EmulatedHingeSensor"/>.
    /// In the dashboard collection: the emulation is browser-wide, one test at a time.
    /// </summary>
    [Collection(DashboardCollection.Name)]
    public class WebBluetoothEmulationTests
    {
        private const string Page = "/web-bluetooth.html";

        /// <summary>What the page gets for any ATT error code in Chromium 156's emulation.</summary>
        private const string GattOperationFailed = "NotSupportedError: GATT operation failed for unknown reason.";
        private static readonly string Hinge = GattIds.HingeService;
        private static readonly string Battery = AttLinkModel.Uuid16(GattIds.BatteryService);
        private static readonly string DeviceInformation = AttLinkModel.Uuid16(GattIds.DeviceInformationService);

        private readonly BrowserFixture _browser;
        private readonly ITestOutputHelper _out;

        public WebBluetoothEmulationTests(BrowserFixture browser, ITestOutputHelper output)
        {
            _browser = browser;
            _out = output;
        }

        [SkippableFact]
        public async Task Every_Web_Bluetooth_call_of_the_page_is_answered_from_CSharp_through_the_DevTools_emulation()
        {
            const string address = "0A:0B:0C:0D:0E:0F";
            string characteristic = GattIds.Control;
            await using TestPageServer server = await TestPageServer.StartAsync();
            await using WebBluetoothBench bench = await WebBluetoothBench.StartAsync(_browser.Browser, pick: address);
            BluetoothEmulation emulation = bench.Emulation;
            IPage page = bench.Page;
            await emulation.SimulatePreconnectedPeripheralAsync(address, "Spike", new[] { Hinge });
            string service = await emulation.AddServiceAsync(address, Hinge);
            string id = await emulation.AddCharacteristicAsync(service, characteristic, new CharacteristicProperties(Read: true, Write: true, WriteWithoutResponse: true, Notify: true));
            await emulation.AddDescriptorAsync(id, "00002902-0000-1000-8000-00805f9b34fb");

            await page.GotoAsync(server.Url + Page);
            Assert.Equal("Spike", await ChooseAsync(page, Hinge));

            Task<string> connect = CallAsync(page, "connect");
            GattOperation op = await NextAsync(emulation);
            Assert.Equal((GattOperationKind.Gatt, "connection", address), (op.Kind, op.Type, op.Target));
            await emulation.RespondGattAsync(op, 0);
            Assert.Equal("ok true", await connect);

            // getPrimaryService runs the discovery first, then the read.
            Task<string> read = CallAsync(page, "read", Hinge, characteristic);
            op = await NextAsync(emulation);
            Assert.Equal((GattOperationKind.Gatt, "discovery"), (op.Kind, op.Type));
            await emulation.RespondGattAsync(op, 0);
            op = await NextAsync(emulation);
            Assert.Equal((GattOperationKind.Characteristic, "read", id), (op.Kind, op.Type, op.Target));
            await emulation.RespondCharacteristicAsync(op, BluetoothEmulation.Success, new byte[] { 1, 2, 3 });
            Assert.Equal("ok 010203", await read);

            Task<string> write = CallAsync(page, "write", Hinge, characteristic, "0207");
            op = await NextAsync(emulation);
            Assert.Equal(("write", "0207", "write-with-response"), (op.Type, Convert.ToHexString(op.Data!), op.WriteType));
            Assert.False(write.IsCompleted, "a write with response settled before the peripheral answered it");
            await emulation.RespondCharacteristicAsync(op, BluetoothEmulation.Success);
            Assert.Equal("ok", await write);

            // Chromium settles a write without response by itself and still reports the bytes.
            Assert.Equal("ok", await CallAsync(page, "writeWithoutResponse", Hinge, characteristic, "09"));
            op = await NextAsync(emulation);
            Assert.Equal(("write", "09", "write-without-response"), (op.Type, Convert.ToHexString(op.Data!), op.WriteType));

            Task<string> subscribe = CallAsync(page, "subscribe", Hinge, characteristic);
            op = await NextAsync(emulation);
            Assert.Equal("subscribe-to-notifications", op.Type);
            await emulation.RespondCharacteristicAsync(op, BluetoothEmulation.Success);
            Assert.Equal("ok", await subscribe);

            // The emulation has no command to notify: the shim delivers, the page sees the value as the event's target value.
            Assert.Equal(1, await NotificationShim.DeliverAsync(page, new[] { (characteristic, new byte[] { 0xf0, 0x02, 0x07, 0x00 }) }));
            await WaitForNotificationAsync(page, characteristic + " f0020700");

            // A later read is Chromium's own value again, and (per the spec) also fires characteristicvaluechanged on the subscribed characteristic.
            read = CallAsync(page, "read", Hinge, characteristic);
            op = await NextAsync(emulation);
            await emulation.RespondCharacteristicAsync(op, BluetoothEmulation.Success, new byte[] { 0x0a, 0x0b });
            Assert.Equal("ok 0a0b", await read);
            await WaitForNotificationAsync(page, characteristic + " 0a0b");

            // Any ATT error code fails the page's promise; Chromium's emulation does not pass the code on.
            read = CallAsync(page, "read", Hinge, characteristic);
            op = await NextAsync(emulation);
            await emulation.RespondCharacteristicAsync(op, 0x05);
            string refused = await read;
            _out.WriteLine("read answered ATT 0x05: " + refused);
            Assert.Equal(GattOperationFailed, refused);

            Task<string> unsubscribe = CallAsync(page, "unsubscribe", Hinge, characteristic);
            op = await NextAsync(emulation);
            Assert.Equal("unsubscribe-from-notifications", op.Type);
            await emulation.RespondCharacteristicAsync(op, BluetoothEmulation.Success);
            Assert.Equal("ok", await unsubscribe);
            Assert.Equal(0, await NotificationShim.DeliverAsync(page, new[] { (characteristic, new byte[] { 1 }) }));

            Assert.False(emulation.Operations.TryRead(out GattOperation? extra), $"an operation nobody expected: {extra}");
        }

        [SkippableFact]
        public async Task The_page_reads_the_status_sets_the_clock_and_follows_the_live_stream_through_Web_Bluetooth_all_answered_by_the_firmware_core()
        {
            using VirtualDeviceHost device = StartDevice();
            await using TestPageServer server = await TestPageServer.StartAsync();
            await using WebBluetoothBench bench = await WebBluetoothBench.StartAsync(_browser.Browser, device);
            IPage page = bench.Page;
            EmulatedHingeSensor sensor = bench.Sensor!;
            try
            {
                await page.GotoAsync(server.Url + Page);
                Assert.Equal("HingeSensor", await ChooseAsync(page, Hinge, Battery, DeviceInformation));
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                Assert.Equal(247, device.Link.Mtu);
                Assert.True(device.Link.IsBonded);
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Control));
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Status));

                byte[] status = await ReadAsync(page, Hinge, GattIds.Status);
                Assert.Equal(32, status.Length);
                Assert.Equal(1, status[0]); // record version
                Assert.Equal(0, status[18] & 0x02); // time not set yet
                byte[] battery = await ReadAsync(page, Battery, AttLinkModel.Uuid16(GattIds.BatteryLevel));
                Assert.Equal(status[1], Assert.Single(battery));
                Assert.Equal("ok " + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes("HingeSensor")).ToLowerInvariant(),
                    await CallAsync(page, "read", DeviceInformation, AttLinkModel.Uuid16(GattIds.ManufacturerName)));
                Assert.Equal("ok " + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes("Status")).ToLowerInvariant(),
                    await CallAsync(page, "readDescriptor", Hinge, GattIds.Status, "00002901-0000-1000-8000-00805f9b34fb"));

                // SetTime (0x02), request id 7, 2025-01-15 09:30:00 UTC: the core answers Success on Control.
                var request = new byte[10];
                request[0] = 0x02;
                request[1] = 7;
                BinaryPrimitives.WriteInt64LittleEndian(request.AsSpan(2), 1736933400000);
                Assert.Equal("ok", await CallAsync(page, "write", Hinge, GattIds.Control, Convert.ToHexString(request)));
                await WaitForNotificationAsync(page, GattIds.Control + " f0020700");

                status = await ReadAsync(page, Hinge, GattIds.Status);
                Assert.Equal(0x02, status[18] & 0x02); // the status the core reports now says the time is set

                // The live stream (§8): packets of full frames at MTU 247, each notification one event in the page.
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Live));
                await page.WaitForFunctionAsync("u => bt.notifications.filter(n => n.startsWith(u + ' ')).length >= 10", GattIds.Live);
                foreach (string n in await page.EvaluateAsync<string[]>("() => bt.notifications"))
                {
                    if (!n.StartsWith(GattIds.Live + " ", StringComparison.Ordinal)) continue;
                    byte[] packet = Convert.FromHexString(n[(GattIds.Live.Length + 1)..]);
                    Assert.Equal(1, packet[0]); // full frames
                    Assert.Equal(2 + packet[1] * 44, packet.Length);
                }

                Assert.Null(sensor.Failure);
                Assert.Equal(0, sensor.Undelivered);
            }
            finally
            {
                Report(sensor);
            }
        }

        [SkippableFact]
        public async Task Disconnections_from_either_side_reach_the_page_and_the_device_and_the_page_reconnects()
        {
            using VirtualDeviceHost device = StartDevice();
            await using TestPageServer server = await TestPageServer.StartAsync();
            await using WebBluetoothBench bench = await WebBluetoothBench.StartAsync(_browser.Browser, device);
            IPage page = bench.Page;
            EmulatedHingeSensor sensor = bench.Sensor!;
            try
            {
                await page.GotoAsync(server.Url + Page);
                Assert.Equal("HingeSensor", await ChooseAsync(page, Hinge));
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Control));

                // The device ends the link: simulateGATTDisconnection.
                await sensor.DisconnectAsync();
                await page.WaitForFunctionAsync("() => bt.events.length === 1 && !bt.device.gatt.connected");
                Assert.False(device.Link.IsConnected);

                // A reconnection that fails (out of range), then one that works; subscriptions are made again, as after every connection.
                sensor.RefuseNextConnection(0x04);
                string refused = await CallAsync(page, "connect");
                _out.WriteLine("connection answered HCI 0x04: " + refused);
                Assert.Equal("NetworkError: Unknown error when connecting to the device.", refused);
                Assert.False(device.Link.IsConnected);
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Control));
                Assert.Equal("ok", await CallAsync(page, "write", Hinge, GattIds.Control, "0108")); // Identify, id 8
                await WaitForNotificationAsync(page, GattIds.Control + " f0010800");

                // The link drops on the device's side as it next sends (the answer to Identify id 9 is lost with it).
                device.Link.DropAfter(0);
                Assert.Equal("ok", await CallAsync(page, "write", Hinge, GattIds.Control, "0109"));
                await page.WaitForFunctionAsync("() => bt.events.length === 2 && !bt.device.gatt.connected");
                Assert.False(device.Link.IsConnected);
                Assert.DoesNotContain(GattIds.Control + " f0010900", await page.EvaluateAsync<string[]>("() => bt.notifications"));

                // The page lets go by itself and connects again: Chromium tells the emulated peripheral
                // neither (it keeps its own connection), so the device stays connected throughout.
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                int connections = Connections(sensor);
                Assert.Equal("ok false", await CallAsync(page, "disconnect"));
                Assert.Equal(3, await page.EvaluateAsync<int>("() => bt.events.length"));
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                Assert.Equal(32, (await ReadAsync(page, Hinge, GattIds.Status)).Length);
                Assert.True(device.Link.IsConnected);
                Assert.Equal(connections, Connections(sensor));

                Assert.Null(sensor.Failure);
            }
            finally
            {
                Report(sensor);
            }
        }

        [SkippableFact]
        public async Task An_unpaired_browser_is_refused_what_needs_pairing_and_a_write_the_characteristic_does_not_allow_never_leaves_the_page()
        {
            using VirtualDeviceHost device = StartDevice();
            await using TestPageServer server = await TestPageServer.StartAsync();
            await using WebBluetoothBench bench = await WebBluetoothBench.StartAsync(_browser.Browser, device, paired: false);
            IPage page = bench.Page;
            EmulatedHingeSensor sensor = bench.Sensor!;
            try
            {
                await page.GotoAsync(server.Url + Page);
                Assert.Equal("HingeSensor", await ChooseAsync(page, Hinge, Battery, DeviceInformation));
                Assert.Equal("ok true", await CallAsync(page, "connect"));
                Assert.False(device.Link.IsBonded);

                // Status needs pairing: the link model refuses with ATT Insufficient Authentication, the page's read fails.
                string status = await CallAsync(page, "read", Hinge, GattIds.Status);
                _out.WriteLine("Status read on an unpaired link: " + status);
                Assert.Equal(GattOperationFailed, status);
                Assert.Contains(sensor.Log, l => l.StartsWith("read Status refused, ATT 0x05", StringComparison.Ordinal));

                // The battery level is open (§4.4).
                Assert.StartsWith("ok ", await CallAsync(page, "read", Battery, AttLinkModel.Uuid16(GattIds.BatteryLevel)));

                // Subscribing is open; a request is answered InsufficientSecurity and nothing else.
                Assert.Equal("ok", await CallAsync(page, "subscribe", Hinge, GattIds.Control));
                Assert.Equal("ok", await CallAsync(page, "write", Hinge, GattIds.Control, "010a")); // Identify, id 10
                await WaitForNotificationAsync(page, GattIds.Control + " f0010a06");

                // Control takes no write without response (§3.2). The emulation lets the page's call
                // succeed (real Chrome on BlueZ would fail it); the device ignores it, no answer comes.
                Assert.Equal("ok", await CallAsync(page, "writeWithoutResponse", Hinge, GattIds.Control, "010b"));
                await WaitForLogAsync(sensor, "write Control 010b (without response) ignored: Control does not take writes without response");
                Assert.Equal("ok", await CallAsync(page, "write", Hinge, GattIds.Control, "010c"));
                await WaitForNotificationAsync(page, GattIds.Control + " f0010c06");
                Assert.DoesNotContain(GattIds.Control + " f0010b06", await page.EvaluateAsync<string[]>("() => bt.notifications"));

                // The serial number is on Chromium's Web Bluetooth blocklist: the page cannot read it at all.
                string serial = await CallAsync(page, "read", DeviceInformation, AttLinkModel.Uuid16(GattIds.SerialNumber));
                _out.WriteLine("Serial Number read: " + serial);
                Assert.StartsWith("SecurityError: ", serial);

                Assert.Null(sensor.Failure);
            }
            finally
            {
                Report(sensor);
            }
        }

        private static VirtualDeviceHost StartDevice()
        {
            var wearer = new Scenario
            {
                Name = "web-bluetooth",
                Sequence = new List<SequenceStep> { new() { Do = "stand", DurationS = 3600 } },
            };
            var device = new VirtualDeviceHost(wearer, 11, new FlashModel(), speed: 1);
            device.Start();
            return device;
        }

        /// <summary>Clicks the page's chooser button (requestDevice needs a user gesture) and gives the chosen device's name or the error.</summary>
        private static async Task<string> ChooseAsync(IPage page, string service, params string[] optionalServices)
        {
            await page.EvaluateAsync("o => { bt.options = o; }", new { filters = new[] { new { services = new[] { service } } }, optionalServices });
            await page.ClickAsync("#choose");
            return await Settled(page.EvaluateAsync<string>("() => bt.chosen"), "requestDevice");
        }

        /// <summary>A page call, bounded: an operation nobody answers would leave its promise pending for ever.</summary>
        private static Task<string> CallAsync(IPage page, string call, params string[] args) =>
            Settled(page.EvaluateAsync<string>("([call, args]) => bt.attempt(call, ...args)", new object[] { call, args }), call);

        private static async Task<string> Settled(Task<string> pageCall, string what)
        {
            try
            {
                return await pageCall.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the page's {what} did not settle within 30 s");
            }
        }

        private static async Task<byte[]> ReadAsync(IPage page, string service, string characteristic)
        {
            string r = await CallAsync(page, "read", service, characteristic);
            Assert.StartsWith("ok ", r);
            return Convert.FromHexString(r[3..]);
        }

        private static Task WaitForNotificationAsync(IPage page, string entry) =>
            page.WaitForFunctionAsync("e => bt.notifications.includes(e)", entry);

        private static async Task<GattOperation> NextAsync(BluetoothEmulation emulation)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await emulation.Operations.ReadAsync(timeout.Token);
        }

        private static int Connections(EmulatedHingeSensor sensor)
        {
            int n = 0;
            foreach (string line in sensor.Log)
                if (line.StartsWith("connected,", StringComparison.Ordinal)) n++;
            return n;
        }

        private static async Task WaitForLogAsync(EmulatedHingeSensor sensor, string line)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!sensor.Log.Contains(line))
            {
                Assert.Null(sensor.Failure);
                await Task.Delay(10, timeout.Token);
            }
        }

        private void Report(EmulatedHingeSensor sensor)
        {
            foreach (string line in sensor.Log) _out.WriteLine(line);
        }
    }
}
