using System;
using System.Collections.Generic;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.VirtualDevice.Link
{
    /// <summary>
    /// The BLE stack and air between the firmware core and a host, modelled at the ATT level: MTU
    /// exchange (the smaller of the two), notifications only for subscribed characteristics, each
    /// cut to MTU − 3 bytes as the real stack silently does, delivered in order and only as fast
    /// as connection events allow; writes with or without response; reads; and disconnects, on
    /// request or injected after a number of packets. Device-side calls happen on the device's
    /// thread (<see cref="Pump"/>); client calls may come from any thread.
    ///
    /// Security as NimBLE and BlueZ handle it: each connection comes from a host (a name standing
    /// for its identity address); a host bonded with the device re-encrypts the link with its stored
    /// key as it connects (BlueZ does so for a bonded LE device), anything else starts unencrypted.
    /// <see cref="Pair"/> is passkey entry: the stack asks the core for the passkey to "display"
    /// (nothing comes of a refusal) and the link is authenticated only if the host typed the same;
    /// the bond is stored only while the device allows bonding. Reads of Config and Status on a
    /// link that is not secure fail with <see cref="InsufficientAuthenticationException"/>, as an
    /// ATT "insufficient authentication" error; subscribing is open, as NimBLE's CCCDs are.
    /// </summary>
    public sealed class AttLinkModel
    {
        /// <summary>The host a connection comes from unless it says otherwise ("this computer").</summary>
        public const string DefaultHost = "this-computer";

        private readonly Func<DeviceCore> _core;
        private readonly AttLinkSettings _settings;
        private readonly BondStoreModel _bonds;
        private string _host = DefaultHost;
        private readonly object _lock = new();
        private readonly HashSet<string> _subscribed = new(StringComparer.OrdinalIgnoreCase);
        private readonly byte[] _buffer = new byte[NotificationQueue.MaxPayload];
        private readonly Dictionary<GattCharacteristic, string> _uuids = new()
        {
            [GattCharacteristic.Live] = GattIds.Live,
            [GattCharacteristic.Control] = GattIds.Control,
            [GattCharacteristic.Config] = GattIds.Config,
            [GattCharacteristic.Status] = GattIds.Status,
            [GattCharacteristic.SessionData] = GattIds.SessionData,
            [GattCharacteristic.BatteryLevel] = Uuid16(GattIds.BatteryLevel),
        };
        private bool _connected;
        private int _mtu = GattIds.MinimumMtu;
        private double _nextEventUs = double.NaN;
        private long _dropAfter = -1;

        public AttLinkModel(Func<DeviceCore> core, BondStoreModel bonds, AttLinkSettings? settings = null)
        {
            _core = core;
            _bonds = bonds;
            _settings = settings ?? new AttLinkSettings();
        }

        public AttLinkSettings Settings => _settings;
        public bool IsConnected { get { lock (_lock) return _connected; } }
        public int Mtu { get { lock (_lock) return _mtu; } }

        /// <summary>Delivers a notification to the host (characteristic UUID, value). Called on the device's thread.</summary>
        public Action<string, byte[]>? Notify;

        /// <summary>The link dropped on the device's side (reason). Called on the device's thread.</summary>
        public Action<string>? Dropped;

        /// <summary>Notifications sent over the air, and their payload bytes, since the link model was made.</summary>
        public long Packets, PayloadBytes;

        /// <summary>Notifications the device queued for a characteristic nobody subscribed to (dropped by the stack).</summary>
        public long Unsubscribed;

        public static string Uuid16(ushort id) => $"0000{id:x4}-0000-1000-8000-00805f9b34fb";

        /// <summary>
        /// Connects <paramref name="host"/>: the MTU is the smaller of the host's and the device's; a
        /// bonded host's link is encrypted with its stored (authenticated) key at once.
        /// </summary>
        public int Connect(int clientMtu, string host = DefaultHost)
        {
            lock (_lock)
            {
                _mtu = Math.Max(GattIds.MinimumMtu, Math.Min(clientMtu, _settings.DeviceMaxMtu));
                _connected = true;
                _host = host;
                _subscribed.Clear();
                _nextEventUs = double.NaN;
                _dropAfter = -1;
                DeviceCore core = _core();
                core.OnConnected(_mtu);
                if (_bonds.Contains(host)) core.OnSecurityChanged(true);
                return _mtu;
            }
        }

        /// <summary>The connected host holds a bond with the device.</summary>
        public bool IsBonded { get { lock (_lock) return _connected && _bonds.Contains(_host); } }

        /// <summary>
        /// Passkey entry started by the host, which typed <paramref name="passkey"/>; true when the
        /// link came out authenticated. In NimBLE's order: room is made in a full bond store (the
        /// oldest bond goes), a host already bonded loses its old bond (nanoFramework's repeat-pairing
        /// handler), the core is asked for the passkey, and the keys agree only if both sides used the same.
        /// </summary>
        public bool Pair(int passkey)
        {
            lock (_lock)
            {
                if (!_connected) throw new InvalidOperationException("not connected");
                _bonds.MakeRoomForPairing();
                _bonds.Remove(_host);
                DeviceCore core = _core();
                int shown = core.OnPairingRequested();
                bool paired = shown >= 0 && shown <= 999999 && shown == passkey;
                if (paired && core.BondingAllowed) _bonds.Add(_host);
                core.OnSecurityChanged(paired);
                return paired;
            }
        }

        public void Disconnect(string reason = "host disconnected")
        {
            lock (_lock)
            {
                if (!_connected) return;
                _connected = false;
                _subscribed.Clear();
                _core().OnDisconnected();
            }
        }

        /// <summary>Drops the link after this many more notifications (a fade, a wall between host and wearer).</summary>
        public void DropAfter(long notifications) { lock (_lock) _dropAfter = notifications; }

        public void Subscribe(string uuid, bool on)
        {
            lock (_lock)
            {
                if (!_connected) throw new InvalidOperationException("not connected");
                if (on) _subscribed.Add(uuid); else _subscribed.Remove(uuid);
                foreach (var (c, u) in _uuids)
                    if (string.Equals(u, uuid, StringComparison.OrdinalIgnoreCase)) _core().OnSubscribe(c, on);
            }
        }

        public byte[] Read(string uuid)
        {
            lock (_lock)
            {
                if (!_connected) throw new InvalidOperationException("not connected");
                DeviceCore core = _core();
                foreach (var (c, u) in _uuids)
                {
                    if (!string.Equals(u, uuid, StringComparison.OrdinalIgnoreCase)) continue;
                    var b = new byte[64];
                    int n = core.Read(c, b);
                    if (n == DeviceCore.ReadNotPermitted) throw new InsufficientAuthenticationException($"reading {uuid} needs a paired link");
                    if (n == 0) throw new InvalidOperationException($"read not permitted on {uuid}");
                    return b.AsSpan(0, n).ToArray();
                }
                foreach (ushort dis in new[] { GattIds.ManufacturerName, GattIds.ModelNumber, GattIds.SerialNumber, GattIds.HardwareRevision, GattIds.FirmwareRevision })
                    if (string.Equals(Uuid16(dis), uuid, StringComparison.OrdinalIgnoreCase))
                        return System.Text.Encoding.ASCII.GetBytes(core.DeviceInformation(dis));
                throw new InvalidOperationException($"no characteristic {uuid}");
            }
        }

        public void Write(string uuid, byte[] value, bool withResponse)
        {
            lock (_lock)
            {
                if (!_connected) throw new InvalidOperationException("not connected");
                if (!string.Equals(uuid, GattIds.Control, StringComparison.OrdinalIgnoreCase)) throw new InvalidOperationException($"write not permitted on {uuid}");
                if (value.Length > _mtu - 3) throw new InvalidOperationException($"a {value.Length}-byte write does not fit MTU {_mtu}");
                _core().OnControlWrite(value, value.Length);
            }
        }

        /// <summary>
        /// Runs the connection events due by the device time <paramref name="nowUs"/>: each sends
        /// up to the configured number of the device's queued notifications.
        /// </summary>
        public void Pump(long nowUs)
        {
            DeviceCore core = _core();
            if (!IsConnected) return;
            if (double.IsNaN(_nextEventUs)) _nextEventUs = nowUs;
            double interval = _settings.ConnectionIntervalMs * 1000;
            while (_nextEventUs <= nowUs)
            {
                _nextEventUs += interval;
                for (int p = 0; p < _settings.PacketsPerEvent; p++)
                {
                    if (!core.Notifications.TryDequeue(_buffer, out GattCharacteristic target, out int length)) return;
                    string uuid = _uuids.TryGetValue(target, out string? u) ? u : "";
                    bool drop;
                    int mtu;
                    lock (_lock)
                    {
                        if (!_connected) return;
                        if (!_subscribed.Contains(uuid)) { Unsubscribed++; continue; }
                        mtu = _mtu;
                        drop = _dropAfter == 0;
                        if (_dropAfter > 0) _dropAfter--;
                    }
                    if (drop)
                    {
                        Disconnect("link lost");
                        Dropped?.Invoke("link lost (injected)");
                        return;
                    }
                    // The stack cuts anything longer than MTU − 3 without a word: the firmware must size packets itself.
                    int n = Math.Min(length, mtu - GattIds.AttNotifyOverhead);
                    Packets++;
                    PayloadBytes += n;
                    Notify?.Invoke(uuid, _buffer.AsSpan(0, n).ToArray());
                }
            }
        }
    }
}
