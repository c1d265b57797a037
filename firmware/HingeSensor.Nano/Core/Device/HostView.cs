using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// What a host sees of the device's state: the status, config and battery values its reads
    /// get — snapshots the main loop takes, so that the BLE thread only copies them — and the
    /// notifications it hears when they change: the status when something a person would notice
    /// changed (looked at every second and after every change the parts report), the config after
    /// a write, the battery level every 10 s.
    /// </summary>
    public sealed class HostView : IHostView
    {
        public const long StatusEveryUs = 1000000;
        public const long BatteryEveryUs = 10000000;

        private readonly LinkState _link;
        private readonly NotificationQueue _notifications;
        private readonly StatusBuilder _status;
        private readonly Configuration _configuration;
        private readonly IBattery _battery;
        // The snapshots are written by the loop and copied by the BLE thread under one lock: the
        // status snapshot's own buffer (private, so nobody else locks it; one object less on the heap).
        private readonly byte[] _statusSnapshot = new byte[DeviceStatus.EncodedLength];
        private readonly byte[] _configSnapshot = new byte[DeviceConfig.MaxEncodedLength];
        private int _configSnapshotLength;
        private int _batterySnapshot;
        // The status's essential part as the host last heard it.
        private readonly byte[] _statusNotified = new byte[DeviceStatus.EssentialLength];
        private int _batteryNotified = -1;
        private long _nextStatusUs;
        private long _nextBatteryUs;
        // Its own: snapshots are taken in the middle of handling requests that use theirs.
        private readonly ByteWriter _writer = new ByteWriter();

        public HostView(LinkState link, NotificationQueue notifications, StatusBuilder status, Configuration configuration, IBattery battery)
        {
            _link = link;
            _notifications = notifications;
            _status = status;
            _configuration = configuration;
            _battery = battery;
        }

        /// <summary>What <see cref="Read"/> returns for a protected characteristic on a link that is not secure.</summary>
        public const int ReadNotPermitted = -1;

        /// <summary>
        /// Reads a characteristic's current value into buffer; returns its length (0 for unknown,
        /// <see cref="ReadNotPermitted"/> for Config and Status on a link that is not secure).
        /// Safe from the BLE thread: it copies the snapshot the main loop last took.
        /// </summary>
        public int Read(GattCharacteristic c, byte[] buffer)
        {
            if ((c == GattCharacteristic.Config || c == GattCharacteristic.Status) && !_link.Secure) return ReadNotPermitted;
            lock (_statusSnapshot)
            {
                switch (c)
                {
                    case GattCharacteristic.Config:
                        System.Array.Copy(_configSnapshot, 0, buffer, 0, _configSnapshotLength);
                        return _configSnapshotLength;
                    case GattCharacteristic.Status:
                        System.Array.Copy(_statusSnapshot, 0, buffer, 0, DeviceStatus.EncodedLength);
                        return DeviceStatus.EncodedLength;
                    case GattCharacteristic.BatteryLevel:
                        buffer[0] = (byte)_batterySnapshot;
                        return 1;
                    default: return 0;
                }
            }
        }

        /// <summary>Main loop, every pass: the status once a second, the battery every 10 s.</summary>
        public void Tick(long nowUs)
        {
            if (nowUs >= _nextStatusUs)
            {
                _nextStatusUs = nowUs + StatusEveryUs;
                NotifyStatusIfChanged();
                Refresh();
            }
            bool battery = _link.BatterySubscribed && _link.Connected;
            if (battery && nowUs >= _nextBatteryUs)
            {
                _nextBatteryUs = nowUs + BatteryEveryUs;
                NotifyBatteryIfChanged();
            }
            // A host that subscribes to the battery meanwhile hears it at the next status second.
            DueUs = battery && _nextBatteryUs < _nextStatusUs ? _nextBatteryUs : _nextStatusUs;
        }

        /// <summary>
        /// When <see cref="Tick"/> next has something to do: a field the loop reads first, because
        /// on the device's interpreter a call that finds nothing costs ≈ 700 instructions a pass.
        /// </summary>
        public long DueUs;

        /// <summary>What a link starting, ending or becoming secure means for what its host has heard (<see cref="LinkState.TakeEvents"/> bits).</summary>
        public void OnLinkChanged(int change)
        {
            // The next host, or this one now that it can hear protected notifications, hears the status once.
            if ((change & (LinkState.Ended | LinkState.Secured)) != 0) System.Array.Clear(_statusNotified, 0, _statusNotified.Length);
            if ((change & LinkState.BatteryResubscribed) != 0) _batteryNotified = -1;
            // A new host reads the status first thing: not the one from up to a second ago.
            if ((change & LinkState.Started) != 0) Refresh();
        }

        public void Refresh()
        {
            DeviceStatus s = _status.Build();
            lock (_statusSnapshot)
            {
                _writer.Reset(_statusSnapshot);
                s.Encode(_writer);
                _writer.Reset(_configSnapshot);
                _configSnapshotLength = _configuration.Current.Encode(_writer);
                _batterySnapshot = s.BatteryPercent;
            }
        }

        public void NotifyStatusIfChanged()
        {
            if (!_link.Connected || !_link.StatusSubscribed) return;
            // Encoded straight into the notification, which is queued only if it says something new.
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            DeviceStatus s = _status.Build();
            _writer.Reset(b);
            s.Encode(_writer);
            if (!StatusChangedForPeople(b)) return;
            System.Array.Copy(b, 0, _statusNotified, 0, DeviceStatus.EssentialLength);
            int room = _link.Mtu - GattIds.AttNotifyOverhead;
            _notifications.Commit(GattCharacteristic.Status, DeviceStatus.EncodedLength <= room ? DeviceStatus.EncodedLength : DeviceStatus.EssentialLength);
        }

        public void NotifyConfig()
        {
            if (!_link.Connected) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            _writer.Reset(b);
            int n = _configuration.Current.Encode(_writer);
            if (n > _link.Mtu - GattIds.AttNotifyOverhead)
            {
                // Too big for this MTU: say it changed; the host reads it (reads are not MTU-bound).
                b[0] = 0;
                n = 1;
            }
            _notifications.Commit(GattCharacteristic.Config, n);
        }

        // Only what matters to a person counts as a change: every essential field but the battery
        // millivolts (they wander with load) and the storage used (it grows every second while
        // recording). Uptime and counters come with the next notification or a read.
        private bool StatusChangedForPeople(byte[] now)
        {
            for (int i = 0; i < DeviceStatus.EssentialLength; i++)
            {
                if (i == DeviceStatus.OffsetBatteryMillivolts || i == DeviceStatus.OffsetBatteryMillivolts + 1) continue;
                if (i == DeviceStatus.OffsetStorageUsed || i == DeviceStatus.OffsetStorageUsed + 1) continue;
                if (now[i] != _statusNotified[i]) return true;
            }
            return false;
        }

        private void NotifyBatteryIfChanged()
        {
            int pct = LiPo.Percent(_battery.Millivolts);
            if (pct == _batteryNotified) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            b[0] = (byte)pct;
            _notifications.Commit(GattCharacteristic.BatteryLevel, 1);
            _batteryNotified = pct;
        }
    }
}
