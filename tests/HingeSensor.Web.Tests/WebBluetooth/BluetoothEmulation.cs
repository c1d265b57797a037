using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace HingeSensor.Web.Tests.WebBluetooth
{
    /// <summary>
    /// Chromium's DevTools <c>BluetoothEmulation</c> domain, typed: a simulated central (the
    /// adapter) and peripherals whose services, characteristics and descriptors answer the page's
    /// real Web Bluetooth calls. In Chromium 156 the domain lives on the BROWSER target (a page
    /// session answers "'BluetoothEmulation.enable' wasn't found"), so this holds a browser CDP
    /// session, and the emulation is browser-wide: one user at a time (the tests using it share a
    /// collection). docs/web-bluetooth-testing.md lists what the domain does and does not do.
    ///
    /// The page's operations arrive as events, in order, on <see cref="Operations"/>; the test or
    /// a peripheral bridge answers each with the matching Respond… call. An operation that is
    /// never answered leaves the page's promise pending: answer every one, except writes without
    /// response, which Chromium completes by itself.
    /// </summary>
    public sealed class BluetoothEmulation : IAsyncDisposable
    {
        /// <summary>ATT success; any other ATT error code (Core Vol 3 Part F 3.4.1.1) fails the page's promise.</summary>
        public const int Success = 0;

        private readonly ICDPSession _session;
        private readonly Channel<GattOperation> _operations = Channel.CreateUnbounded<GattOperation>(new UnboundedChannelOptions { SingleReader = true });
        private bool _enabled;

        private BluetoothEmulation(ICDPSession session)
        {
            _session = session;
            Listen("BluetoothEmulation.gattOperationReceived", p => new GattOperation(
                GattOperationKind.Gatt, p.GetProperty("type").GetString()!, p.GetProperty("address").GetString()!, null, null));
            Listen("BluetoothEmulation.characteristicOperationReceived", p => new GattOperation(
                GattOperationKind.Characteristic, p.GetProperty("type").GetString()!, p.GetProperty("characteristicId").GetString()!,
                p.TryGetProperty("data", out JsonElement d) ? d.GetBytesFromBase64() : null,
                p.TryGetProperty("writeType", out JsonElement w) ? w.GetString() : null));
            Listen("BluetoothEmulation.descriptorOperationReceived", p => new GattOperation(
                GattOperationKind.Descriptor, p.GetProperty("type").GetString()!, p.GetProperty("descriptorId").GetString()!,
                p.TryGetProperty("data", out JsonElement d) ? d.GetBytesFromBase64() : null, null));
        }

        /// <summary>Powers on a simulated low-energy central for the whole browser (any earlier emulation is dropped first, as the Web Bluetooth spec's adapter override asks).</summary>
        public static async Task<BluetoothEmulation> StartAsync(IBrowser browser)
        {
            var emulation = new BluetoothEmulation(await browser.NewBrowserCDPSessionAsync());
            await emulation.SendAsync("BluetoothEmulation.disable");
            await emulation.SendAsync("BluetoothEmulation.enable", new() { ["state"] = "powered-on", ["leSupported"] = true });
            emulation._enabled = true;
            return emulation;
        }

        /// <summary>The page's GATT operations, in the order Chromium reported them.</summary>
        public ChannelReader<GattOperation> Operations => _operations.Reader;

        /// <summary>A peripheral the system is already connected to, so requestDevice lists it at once (no scan).</summary>
        public Task SimulatePreconnectedPeripheralAsync(string address, string name, IReadOnlyList<string> knownServiceUuids) =>
            SendAsync("BluetoothEmulation.simulatePreconnectedPeripheral", new()
            {
                ["address"] = address,
                ["name"] = name,
                ["manufacturerData"] = Array.Empty<object>(),
                ["knownServiceUuids"] = knownServiceUuids,
            });

        /// <summary>Adds a primary service; returns its emulation id (address_n).</summary>
        public async Task<string> AddServiceAsync(string address, string serviceUuid) =>
            (await SendAsync("BluetoothEmulation.addService", new() { ["address"] = address, ["serviceUuid"] = serviceUuid }))
                .GetProperty("serviceId").GetString()!;

        /// <summary>Adds a characteristic; returns its emulation id, the one its operations carry.</summary>
        public async Task<string> AddCharacteristicAsync(string serviceId, string characteristicUuid, CharacteristicProperties properties) =>
            (await SendAsync("BluetoothEmulation.addCharacteristic", new()
            {
                ["serviceId"] = serviceId,
                ["characteristicUuid"] = characteristicUuid,
                ["properties"] = properties.ToProtocol(),
            })).GetProperty("characteristicId").GetString()!;

        /// <summary>Adds a descriptor; a characteristic the page subscribes to needs a CCCD (0x2902), or startNotifications fails "GATT Error: Not supported."</summary>
        public async Task<string> AddDescriptorAsync(string characteristicId, string descriptorUuid) =>
            (await SendAsync("BluetoothEmulation.addDescriptor", new() { ["characteristicId"] = characteristicId, ["descriptorUuid"] = descriptorUuid }))
                .GetProperty("descriptorId").GetString()!;

        /// <summary>Answers a connection or discovery with an HCI status (0 success, e.g. 0x04 page timeout).</summary>
        public Task RespondGattAsync(GattOperation op, int hciCode) =>
            SendAsync("BluetoothEmulation.simulateGATTOperationResponse", new() { ["address"] = op.Target, ["type"] = op.Type, ["code"] = hciCode });

        /// <summary>Answers a characteristic read (with its value), write or (un)subscription with an ATT code.</summary>
        public Task RespondCharacteristicAsync(GattOperation op, int attCode, byte[]? value = null) =>
            SendAsync("BluetoothEmulation.simulateCharacteristicOperationResponse", Response("characteristicId", op, attCode, value));

        public Task RespondDescriptorAsync(GattOperation op, int attCode, byte[]? value = null) =>
            SendAsync("BluetoothEmulation.simulateDescriptorOperationResponse", Response("descriptorId", op, attCode, value));

        /// <summary>The peripheral drops the link: the page's device gets gattserverdisconnected.</summary>
        public Task SimulateGattDisconnectionAsync(string address) =>
            SendAsync("BluetoothEmulation.simulateGATTDisconnection", new() { ["address"] = address });

        private static Dictionary<string, object> Response(string idName, GattOperation op, int code, byte[]? value)
        {
            var args = new Dictionary<string, object> { [idName] = op.Target, ["type"] = op.Type, ["code"] = code };
            if (value != null) args["data"] = Convert.ToBase64String(value);
            return args;
        }

        private void Listen(string cdpEvent, Func<JsonElement, GattOperation> parse)
        {
            _session.Event(cdpEvent).OnEvent += (_, e) =>
            {
                if (e is JsonElement p) _operations.Writer.TryWrite(parse(p));
            };
        }

        private async Task<JsonElement> SendAsync(string method, Dictionary<string, object>? args = null)
        {
            JsonElement? result = await _session.SendAsync(method, args);
            return result ?? default;
        }

        public async ValueTask DisposeAsync()
        {
            _operations.Writer.TryComplete();
            try
            {
                // Bounded: a browser that stopped answering must fail the test, not hang it.
                if (_enabled) await SendAsync("BluetoothEmulation.disable").WaitAsync(TimeSpan.FromSeconds(30));
                await _session.DetachAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (PlaywrightException)
            {
                // The browser or its session is already gone: nothing is left to switch off.
            }
        }
    }

    public enum GattOperationKind { Gatt, Characteristic, Descriptor }

    /// <summary>
    /// One operation of the page as Chromium reports it. Gatt: Type "connection" or "discovery",
    /// Target the peripheral's address. Characteristic: "read", "write" (Data, WriteType
    /// "write-with-response" / "write-without-response"), "subscribe-to-notifications",
    /// "unsubscribe-from-notifications"; Target the characteristic id. Descriptor: "read",
    /// "write" (Data); Target the descriptor id.
    /// </summary>
    public sealed record GattOperation(GattOperationKind Kind, string Type, string Target, byte[]? Data, string? WriteType)
    {
        public bool IsWriteWithoutResponse => WriteType == "write-without-response";

        public override string ToString() =>
            $"{Kind} {Type} {Target}" + (Data != null ? " " + Convert.ToHexString(Data).ToLowerInvariant() : "") + (WriteType != null ? " " + WriteType : "");
    }

    public sealed record CharacteristicProperties(bool Read = false, bool Write = false, bool WriteWithoutResponse = false, bool Notify = false)
    {
        internal Dictionary<string, object> ToProtocol() => new()
        {
            ["read"] = Read,
            ["write"] = Write,
            ["writeWithoutResponse"] = WriteWithoutResponse,
            ["notify"] = Notify,
        };
    }
}
