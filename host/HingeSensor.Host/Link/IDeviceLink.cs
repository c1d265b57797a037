using System;
using System.Threading;
using System.Threading.Tasks;

namespace HingeSensor.Host.Link
{
    /// <summary>
    /// One GATT connection to a HingeSensor, as the host sees it, whatever carries it (BlueZ, the
    /// in-process virtual device, the virtual device over loopback). It keeps to ATT's rules: a
    /// negotiated MTU, notifications of at most MTU − 3 bytes delivered in order, writes with or
    /// without response, and disconnects that can come at any moment. Characteristics are named
    /// by their UUIDs (Protocol.GattIds; 16-bit standard ones in their full 128-bit form).
    /// </summary>
    public interface IDeviceLink : IAsyncDisposable
    {
        /// <summary>For people: "virtual (in-process)", "BlueZ hci0 → AA:BB:CC:DD:EE:FF", …</summary>
        string Description { get; }

        bool IsConnected { get; }

        /// <summary>The negotiated ATT MTU (23 until negotiated).</summary>
        int Mtu { get; }

        /// <summary>
        /// Connects (or reconnects), negotiates the MTU, discovers the services and secures the link
        /// (pairing/bonding where the transport needs it).
        /// </summary>
        Task ConnectAsync(CancellationToken ct);

        Task DisconnectAsync();

        Task<byte[]> ReadAsync(string characteristicUuid, CancellationToken ct);

        Task WriteAsync(string characteristicUuid, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken ct);

        /// <summary>Enables notifications (writes the CCCD). Must be redone after a reconnect.</summary>
        Task SubscribeAsync(string characteristicUuid, CancellationToken ct);

        /// <summary>A notification: characteristic UUID and value, in the order the device sent them.</summary>
        event Action<string, byte[]>? NotificationReceived;

        /// <summary>The link went down (reason for people). Not raised by <see cref="DisconnectAsync"/>.</summary>
        event Action<string>? Disconnected;

        /// <summary>The command that pairs this computer with the device, for the "not paired" message.</summary>
        string PairCommand => "hinge pair";
    }

    /// <summary>A device seen while scanning.</summary>
    public sealed record DeviceAdvertisement(string Name, string Address, int? Rssi, string Transport);

    /// <summary>Finds devices and opens links to them.</summary>
    public interface IDeviceScanner
    {
        Task<System.Collections.Generic.IReadOnlyList<DeviceAdvertisement>> ScanAsync(TimeSpan duration, CancellationToken ct);

        IDeviceLink Open(DeviceAdvertisement device);
    }

    /// <summary>The transport is not available here (no BlueZ, no adapter, nothing listening): the message says what to do.</summary>
    public class LinkUnavailableException : Exception
    {
        public LinkUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>The link dropped while an operation was under way.</summary>
    public sealed class LinkLostException : Exception
    {
        public LinkLostException(string message) : base(message) { }
    }

    public static class Uuids
    {
        /// <summary>A 16-bit SIG UUID in its 128-bit form.</summary>
        public static string Of(ushort shortUuid) => $"0000{shortUuid:x4}-0000-1000-8000-00805f9b34fb";
    }
}
