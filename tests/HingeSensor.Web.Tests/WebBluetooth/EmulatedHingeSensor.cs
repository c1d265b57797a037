using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Link;
using Microsoft.Playwright;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// A HingeSensor for the page's Web Bluetooth calls: Chromium's emulated peripheral with the
    /// GATT table of docs/protocol.md §3.2, every operation answered by the virtual device (the
    /// real firmware core behind its ATT link model) and every notification of the device
    /// delivered back to the page (through <see cref="NotificationShim"/>: the one thing the
    /// emulation cannot do). The browser stands for "this computer": with <c>paired</c> its link
    /// is bonded and secure, as after `hinge pair` through BlueZ; without, the device refuses what
    /// needs pairing (§4.5).
    ///
    /// Test-only: the app never needs it at run time (a user's browser has no DevTools session
    /// driving it); issue 13's browser tests stand on it.
    /// </summary>
    public sealed class EmulatedHingeSensor : IAsyncDisposable
    {
        /// <summary>The emulated peripheral's address ("HINGE" and 0x01).</summary>
        public const string Address = "48:49:4E:47:45:01";

        /// <summary>What Chrome on Linux asks for (BlueZ's default); the device grants at most 247.</summary>
        public const int BrowserMtu = 517;

        private const string UserDescription = "00002901-0000-1000-8000-00805f9b34fb";
        private const string Cccd = "00002902-0000-1000-8000-00805f9b34fb";
        private const int AttWriteNotPermitted = 0x03, AttInsufficientAuthentication = 0x05, AttUnlikelyError = 0x0E;

        private readonly BluetoothEmulation _emulation;
        private readonly IPage _page;
        private readonly VirtualDeviceHost _device;
        private readonly bool _paired;
        // Emulation ids → what they stand for. Ids are never reused, so the entries of a table
        // Chromium has dropped can stay.
        private readonly ConcurrentDictionary<string, (string Uuid, CharacteristicProperties Properties)> _characteristics = new();
        private readonly ConcurrentDictionary<string, (string Characteristic, string Uuid, string? Text)> _descriptors = new();
        // Held while the GATT table is being built: a connection waits for it.
        private readonly SemaphoreSlim _table = new(1, 1);
        private readonly HashSet<string> _subscribed = new(StringComparer.OrdinalIgnoreCase);
        private readonly Channel<(string? Uuid, byte[] Value)> _toPage = Channel.CreateUnbounded<(string?, byte[])>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ConcurrentQueue<string> _log = new();
        private Task _operations = Task.CompletedTask, _deliveries = Task.CompletedTask;
        private readonly CancellationTokenSource _stop = new();
        private int _refuseNextConnection;
        private long _delivered, _undelivered;

        private EmulatedHingeSensor(BluetoothEmulation emulation, IPage page, VirtualDeviceHost device, bool paired)
        {
            _emulation = emulation;
            _page = page;
            _device = device;
            _paired = paired;
        }

        /// <summary>
        /// Puts the peripheral in the emulated system's list and answers the page from now on. The
        /// page's context must have <see cref="NotificationShim"/> installed before the page loaded.
        /// </summary>
        public static async Task<EmulatedHingeSensor> StartAsync(BluetoothEmulation emulation, IPage page, VirtualDeviceHost device, bool paired = true)
        {
            var sensor = new EmulatedHingeSensor(emulation, page, device, paired);
            await emulation.SimulatePreconnectedPeripheralAsync(Address, "HingeSensor",
                new[] { GattIds.HingeService, AttLinkModel.Uuid16(GattIds.DeviceInformationService), AttLinkModel.Uuid16(GattIds.BatteryService) });
            await sensor.BuildGattTableAsync();
            device.Link.Notify = (uuid, value) => sensor._toPage.Writer.TryWrite((uuid, value));
            device.Link.Dropped = reason =>
            {
                sensor.Record("device dropped the link: " + reason);
                sensor._toPage.Writer.TryWrite((null, Array.Empty<byte>()));
            };
            sensor._operations = Task.Run(sensor.AnswerOperationsAsync);
            sensor._deliveries = Task.Run(sensor.DeliverAsync);
            return sensor;
        }

        /// <summary>What happened, in order ("read …", "write …", "notify …", refusals with the ATT code).</summary>
        public IReadOnlyCollection<string> Log => _log.ToArray();

        /// <summary>Notifications that reached a subscribed characteristic in the page, and those that found none.</summary>
        public long Delivered => Interlocked.Read(ref _delivered);
        public long Undelivered => Interlocked.Read(ref _undelivered);

        /// <summary>Set when answering or delivering failed (the page would then wait for ever).</summary>
        public Exception? Failure { get; private set; }

        /// <summary>The next connection attempt fails with this HCI status (e.g. 0x04 page timeout: the device is out of range).</summary>
        public void RefuseNextConnection(int hciCode) => Interlocked.Exchange(ref _refuseNextConnection, hciCode);

        /// <summary>The device ends the link (walked out of range, switched off): the page gets gattserverdisconnected.</summary>
        public async Task DisconnectAsync()
        {
            _device.Link.Disconnect("device disconnected");
            Record("device disconnected");
            await SimulateDisconnectionAsync();
        }

        /// <summary>
        /// Chromium's simulated disconnection also deletes the peripheral's services (FakePeripheral::
        /// SimulateGATTDisconnection clears them, as a real device's cache is cleared): the table is
        /// built again before the page can reconnect, or its discovery would find nothing.
        /// </summary>
        private async Task SimulateDisconnectionAsync()
        {
            await _table.WaitAsync();
            try
            {
                await _emulation.SimulateGattDisconnectionAsync(Address);
                await BuildGattTableAsync();
            }
            finally
            {
                _table.Release();
            }
        }

        private async Task BuildGattTableAsync()
        {
            string hinge = await _emulation.AddServiceAsync(Address, GattIds.HingeService);
            await AddAsync(hinge, GattIds.Live, new CharacteristicProperties(Notify: true), "Live");
            await AddAsync(hinge, GattIds.Control, new CharacteristicProperties(Write: true, Notify: true), "Control");
            await AddAsync(hinge, GattIds.Config, new CharacteristicProperties(Read: true, Notify: true), "Config");
            await AddAsync(hinge, GattIds.Status, new CharacteristicProperties(Read: true, Notify: true), "Status");
            await AddAsync(hinge, GattIds.SessionData, new CharacteristicProperties(Notify: true), "Session data");

            string dis = await _emulation.AddServiceAsync(Address, AttLinkModel.Uuid16(GattIds.DeviceInformationService));
            foreach (ushort id in new[] { GattIds.ManufacturerName, GattIds.ModelNumber, GattIds.SerialNumber, GattIds.HardwareRevision, GattIds.FirmwareRevision })
                await AddAsync(dis, AttLinkModel.Uuid16(id), new CharacteristicProperties(Read: true), null);

            string battery = await _emulation.AddServiceAsync(Address, AttLinkModel.Uuid16(GattIds.BatteryService));
            await AddAsync(battery, AttLinkModel.Uuid16(GattIds.BatteryLevel), new CharacteristicProperties(Read: true, Notify: true), null);
        }

        private async Task AddAsync(string service, string uuid, CharacteristicProperties properties, string? description)
        {
            string id = await _emulation.AddCharacteristicAsync(service, uuid, properties);
            _characteristics[id] = (uuid, properties);
            if (description != null)
                _descriptors[await _emulation.AddDescriptorAsync(id, UserDescription)] = (uuid, UserDescription, description);
            if (properties.Notify)
                _descriptors[await _emulation.AddDescriptorAsync(id, Cccd)] = (uuid, Cccd, null);
        }

        private async Task AnswerOperationsAsync()
        {
            try
            {
                await foreach (GattOperation op in _emulation.Operations.ReadAllAsync(_stop.Token))
                {
                    switch (op.Kind)
                    {
                        case GattOperationKind.Gatt: await AnswerGattAsync(op); break;
                        case GattOperationKind.Characteristic: await AnswerCharacteristicAsync(op); break;
                        case GattOperationKind.Descriptor: await AnswerDescriptorAsync(op); break;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed: nothing more to answer.
            }
            catch (Exception e)
            {
                Failure ??= e;
                Record("answering failed: " + e.Message);
            }
        }

        private async Task AnswerGattAsync(GattOperation op)
        {
            await _table.WaitAsync(_stop.Token);
            _table.Release();
            if (op.Type != "connection")
            {
                Record(op.Type);
                await _emulation.RespondGattAsync(op, 0);
                return;
            }
            int refusal = Interlocked.Exchange(ref _refuseNextConnection, 0);
            if (refusal != 0)
            {
                Record($"connection refused, HCI 0x{refusal:x2}");
                await _emulation.RespondGattAsync(op, refusal);
                return;
            }
            _subscribed.Clear();
            while (!_device.Booted)
            {
                if (_device.Failure != null) throw new InvalidOperationException("the virtual device failed", _device.Failure);
                await Task.Delay(5, _stop.Token);
            }
            int mtu = _device.Link.Connect(BrowserMtu);
            if (_paired && !_device.Link.IsBonded)
            {
                if (!_device.OpenPairingWindow(out int passkey, out string whyNot)) throw new InvalidOperationException(whyNot);
                if (!_device.Link.Pair(passkey)) throw new InvalidOperationException("pairing the browser's host with the virtual device failed");
            }
            Record($"connected, MTU {mtu}, " + (_device.Link.IsBonded ? "bonded" : "not paired"));
            await _emulation.RespondGattAsync(op, 0);
        }

        private async Task AnswerCharacteristicAsync(GattOperation op)
        {
            var (uuid, properties) = _characteristics[op.Target];
            string name = Name(uuid);
            switch (op.Type)
            {
                case "read":
                {
                    (int code, byte[]? value) = Attempt($"read {name}", () => _device.Link.Read(uuid));
                    await _emulation.RespondCharacteristicAsync(op, code, value);
                    break;
                }
                case "write" when op.IsWriteWithoutResponse && !properties.WriteWithoutResponse:
                    // Chromium's emulation lets it through (BlueZ would refuse it: NotSupported); the
                    // device's stack ignores a Write Command its characteristic does not declare.
                    Record($"write {name} {Hex(op.Data!)} (without response) ignored: {name} does not take writes without response");
                    break;
                case "write":
                {
                    bool withResponse = !op.IsWriteWithoutResponse;
                    (int code, _) = Attempt($"write {name} {Hex(op.Data!)}" + (withResponse ? "" : " (without response)"),
                        () => { _device.Link.Write(uuid, op.Data!, withResponse); return null; });
                    // Chromium completes a write without response by itself: an answer here would
                    // wrongly settle a write with response waiting on the same characteristic.
                    if (withResponse) await _emulation.RespondCharacteristicAsync(op, code);
                    break;
                }
                default:
                {
                    bool on = op.Type == "subscribe-to-notifications";
                    (int code, _) = Attempt((on ? "subscribe " : "unsubscribe ") + name, () => { _device.Link.Subscribe(uuid, on); return null; });
                    if (code == BluetoothEmulation.Success)
                    {
                        if (on) _subscribed.Add(uuid); else _subscribed.Remove(uuid);
                    }
                    await _emulation.RespondCharacteristicAsync(op, code);
                    break;
                }
            }
        }

        private async Task AnswerDescriptorAsync(GattOperation op)
        {
            var (characteristic, uuid, text) = _descriptors[op.Target];
            if (op.Type == "write")
            {
                // The stack's CCCDs are written by subscribing (Chromium forbids the page to write them) and user descriptions are read-only.
                Record($"descriptor write {Name(characteristic)} {uuid[4..8]} refused, ATT 0x{AttWriteNotPermitted:x2}");
                await _emulation.RespondDescriptorAsync(op, AttWriteNotPermitted);
                return;
            }
            byte[] value = text != null ? Encoding.ASCII.GetBytes(text) : new byte[] { (byte)(_subscribed.Contains(characteristic) ? 1 : 0), 0 };
            Record($"descriptor read {Name(characteristic)} {uuid[4..8]} → {Hex(value)}");
            await _emulation.RespondDescriptorAsync(op, BluetoothEmulation.Success, value);
        }

        /// <summary>Runs a link operation; a refusal becomes its ATT error code (the page sees only that it failed).</summary>
        private (int Code, byte[]? Value) Attempt(string what, Func<byte[]?> op)
        {
            try
            {
                byte[]? value = op();
                Record(what + (value != null ? " → " + Hex(value) : " → ok"));
                return (BluetoothEmulation.Success, value);
            }
            catch (InsufficientAuthenticationException e)
            {
                Record($"{what} refused, ATT 0x{AttInsufficientAuthentication:x2} insufficient authentication: {e.Message}");
                return (AttInsufficientAuthentication, null);
            }
            catch (InvalidOperationException e)
            {
                Record($"{what} refused, ATT 0x{AttUnlikelyError:x2}: {e.Message}");
                return (AttUnlikelyError, null);
            }
        }

        private async Task DeliverAsync()
        {
            var batch = new List<(string Uuid, byte[] Value)>();
            try
            {
                while (await _toPage.Reader.WaitToReadAsync())
                {
                    // Everything queued goes in one evaluation, in order: a live stream costs one round trip per batch, not per packet.
                    bool drop = false;
                    while (!drop && _toPage.Reader.TryRead(out var item))
                    {
                        if (item.Uuid == null) drop = true;
                        else
                        {
                            batch.Add((item.Uuid, item.Value));
                            Record($"notify {Name(item.Uuid)} {Hex(item.Value)}");
                        }
                    }
                    if (batch.Count > 0)
                    {
                        int reached = await NotificationShim.DeliverAsync(_page, batch);
                        Interlocked.Add(ref _delivered, reached);
                        Interlocked.Add(ref _undelivered, batch.Count - reached);
                        batch.Clear();
                    }
                    if (drop) await SimulateDisconnectionAsync();
                }
            }
            catch (PlaywrightException e)
            {
                Failure ??= e;
                Record("delivering failed: " + e.Message);
            }
        }

        private void Record(string line) => _log.Enqueue(line);

        private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

        private static string Name(string uuid) =>
            string.Equals(uuid, GattIds.Live, StringComparison.OrdinalIgnoreCase) ? "Live"
            : string.Equals(uuid, GattIds.Control, StringComparison.OrdinalIgnoreCase) ? "Control"
            : string.Equals(uuid, GattIds.Config, StringComparison.OrdinalIgnoreCase) ? "Config"
            : string.Equals(uuid, GattIds.Status, StringComparison.OrdinalIgnoreCase) ? "Status"
            : string.Equals(uuid, GattIds.SessionData, StringComparison.OrdinalIgnoreCase) ? "SessionData"
            : uuid[4..8];

        public async ValueTask DisposeAsync()
        {
            _device.Link.Notify = null;
            _device.Link.Dropped = null;
            _toPage.Writer.TryComplete();
            _stop.Cancel();
            // Bounded: a page that stopped answering must fail the test, not hang it.
            await Task.WhenAll(_deliveries, _operations).WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
            _table.Dispose();
        }
    }
}
