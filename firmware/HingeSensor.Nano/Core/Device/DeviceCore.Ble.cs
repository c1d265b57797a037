using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What a physical button press asks for.</summary>
    public enum ButtonPress
    {
        /// <summary>Calibrate: neutral if not calibrated or after a hinge, else the hinge.</summary>
        Short = 1,

        /// <summary>Start or stop recording.</summary>
        Long = 2,
    }

    public sealed partial class DeviceCore
    {
        // --- Link events from the BLE glue. They arrive on the BLE stack's thread while the main
        // loop runs: they only record what happened (under a lock), and the loop applies it at
        // the start of its next Tick. Reads are served from snapshots the loop keeps current. ---

        private readonly object _linkLock = new object();
        private bool _pendingConnect, _pendingDisconnect;
        private int _pendingMtu;
        private int _pendingSubscribe, _pendingUnsubscribe;
        // Written and read on the BLE thread only (security events and control writes arrive there).
        private bool _secureNow;
        private readonly byte[] _statusSnapshot = new byte[DeviceStatus.EncodedLength];
        private readonly byte[] _configSnapshot = new byte[DeviceConfig.MaxEncodedLength];
        private int _configSnapshotLength;
        private int _batterySnapshot;
        private bool _batterySubscribed;
        private long _nextBatteryUs;
        private int _batteryNotified = -1;

        public void OnConnected(int mtu)
        {
            lock (_linkLock)
            {
                _pendingConnect = true;
                _pendingDisconnect = false;
                _pendingMtu = mtu;
                _secureNow = false;
                // The new host starts with empty queues: nothing in them is for it (events and
                // requests of the old link, whose disconnect may fall in the same loop pass as
                // this connect). Cleared here, before this host can write its first request; the
                // loop holds that request back until it has taken the connect in (TakeRequest).
                _notifications.Clear();
                _control.Clear();
            }
        }

        public void OnMtuChanged(int mtu)
        {
            lock (_linkLock) _pendingMtu = mtu;
        }

        public void OnDisconnected()
        {
            lock (_linkLock)
            {
                _pendingDisconnect = true;
                _pendingConnect = false;
                _secureNow = false;
            }
        }

        /// <summary>The link became encrypted with an authenticated (passkey) key.</summary>
        public void OnSecurityChanged(bool encryptedAndBonded)
        {
            _secureNow = encryptedAndBonded; // read by the control point's write handler, on the same thread
        }

        public bool Connected { get { return _connected; } }

        public void OnSubscribe(GattCharacteristic c, bool on)
        {
            lock (_linkLock)
            {
                int bit = 1 << (int)c;
                if (on)
                {
                    _pendingSubscribe |= bit;
                    _pendingUnsubscribe &= ~bit;
                }
                else
                {
                    _pendingUnsubscribe |= bit;
                    _pendingSubscribe &= ~bit;
                }
            }
        }

        // Called by Tick on the main loop.
        private void ApplyLinkEvents()
        {
            bool connect, disconnect;
            int mtu, subscribe, unsubscribe;
            lock (_linkLock)
            {
                connect = _pendingConnect;
                disconnect = _pendingDisconnect;
                mtu = _pendingMtu;
                subscribe = _pendingSubscribe;
                unsubscribe = _pendingUnsubscribe;
                _pendingConnect = false;
                _pendingDisconnect = false;
                _pendingMtu = 0;
                _pendingSubscribe = 0;
                _pendingUnsubscribe = 0;
                if (disconnect && _connected)
                {
                    // Under the lock: a host connecting right after must not lose its first
                    // request to this clear.
                    _notifications.Clear();
                    _control.Clear();
                }
            }
            if (disconnect && _connected)
            {
                _connected = false;
                ForgetLink();
            }
            if (connect)
            {
                // Whatever the old link had going is over, even if its disconnect and this
                // connect fell in one pass (then only the connect shows).
                if (_connected) ForgetLink();
                _connected = true;
                TakeSnapshots(); // a new host reads the status first thing: not the one from up to a second ago
            }
            if (!_connected) return;
            if (mtu > 0) SetMtu(mtu);
            if ((subscribe & (1 << (int)GattCharacteristic.Live)) != 0) _liveSubscribed = true;
            if ((subscribe & (1 << (int)GattCharacteristic.Status)) != 0) _statusSubscribed = true;
            if ((subscribe & (1 << (int)GattCharacteristic.BatteryLevel)) != 0) { _batterySubscribed = true; _batteryNotified = -1; }
            if ((unsubscribe & (1 << (int)GattCharacteristic.Live)) != 0) _liveSubscribed = false;
            if ((unsubscribe & (1 << (int)GattCharacteristic.Status)) != 0) _statusSubscribed = false;
            if ((unsubscribe & (1 << (int)GattCharacteristic.BatteryLevel)) != 0) _batterySubscribed = false;
        }

        private void ForgetLink()
        {
            _liveSubscribed = false;
            _statusSubscribed = false;
            _batterySubscribed = false;
            _download.Abort();
            _live.Reset();
            System.Array.Clear(_statusNotified, 0, _statusNotified.Length); // the next host hears the status once
        }

        // The next waiting request, unless a host has connected since this pass took in the link
        // events: its requests wait for the next pass, so that they never run against the old
        // link's state (and are not cleared with it).
        private bool TakeRequest(out int length)
        {
            lock (_linkLock)
            {
                if (_pendingConnect)
                {
                    length = 0;
                    return false;
                }
                return _control.TryTake(_request, out length);
            }
        }

        private void SetMtu(int mtu)
        {
            int max = NotificationQueue.MaxPayload + GattIds.AttNotifyOverhead;
            _mtu = mtu < GattIds.MinimumMtu ? GattIds.MinimumMtu : mtu > max ? max : mtu;
            _live.SetMtu(_mtu);
        }

        /// <summary>A write on the control characteristic: checked and queued (see <see cref="ControlPoint"/>).</summary>
        public void OnControlWrite(byte[] data, int length) { _control.OnWrite(data, length, _secureNow); }

        /// <summary>
        /// Reads a characteristic's current value into buffer; returns its length (0 for unknown).
        /// Safe from the BLE thread: it copies the snapshot the main loop last took.
        /// </summary>
        public int Read(GattCharacteristic c, byte[] buffer)
        {
            lock (_linkLock)
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

        // Refreshes what Read serves (main loop).
        private void TakeSnapshots()
        {
            DeviceStatus s = BuildStatus();
            lock (_linkLock)
            {
                s.Encode(_statusSnapshot, 0);
                _configSnapshotLength = _config.Encode(_configSnapshot, 0);
                _batterySnapshot = s.BatteryPercent;
            }
        }

        /// <summary>Main-loop passes over their period, counted by the glue (reported in the status).</summary>
        public int LoopOverruns;

        // The battery percentage, notified when it changes (checked every 10 s while subscribed).
        private void NotifyBatteryIfChanged()
        {
            if (!_connected || !_batterySubscribed || _nowUs < _nextBatteryUs) return;
            _nextBatteryUs = _nowUs + 10000000;
            int pct = LiPo.Percent(_parts.Battery.Millivolts);
            if (pct == _batteryNotified) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            b[0] = (byte)pct;
            _notifications.Commit(GattCharacteristic.BatteryLevel, 1);
            _batteryNotified = pct;
        }

        /// <summary>Device Information service strings by characteristic UUID.</summary>
        public string DeviceInformation(ushort uuid)
        {
            DeviceIdentity d = _parts.Identity;
            switch (uuid)
            {
                case GattIds.ManufacturerName: return d.Manufacturer;
                case GattIds.ModelNumber: return d.Model;
                case GattIds.SerialNumber: return d.Serial;
                case GattIds.HardwareRevision: return d.HardwareRevision;
                case GattIds.FirmwareRevision: return d.FirmwareRevision;
                default: return "";
            }
        }

        /// <summary>The name to advertise.</summary>
        public string DeviceName { get { return _config.DeviceName; } }

        public void OnButton(ButtonPress press)
        {
            if (press == ButtonPress.Long)
            {
                if (_recorder.IsRecording)
                {
                    _recorder.Stop(StopReason.Requested, _tracker.TimeS);
                    OnRecordingStopped();
                }
                else StartRecording();
                return;
            }
            BodyCalibration cal = _tracker.Calibration;
            bool hingeNext = cal.Segments[0].HasNeutral && !cal.IsComplete;
            if (hingeNext) _tracker.BeginCalibration(CalibrationStep.Hinge, _trackerSettings.MovementCaptureTimeoutS);
            else _tracker.BeginCalibration(CalibrationStep.Neutral, _trackerSettings.NeutralCaptureS);
        }

        public DeviceStatus BuildStatus()
        {
            DeviceStatus s = _status;
            int mv = _parts.Battery.Millivolts;
            s.BatteryMillivolts = mv;
            s.BatteryPercent = LiPo.Percent(mv);
            s.Charging = _parts.Battery.Charging;
            for (int i = 0; i < 3; i++) s.Sensors[i] = StateOf(_channels[i]);
            BodyCalibration cal = _tracker.Calibration;
            s.CalibrationFlags = (cal.Segments[0].HasNeutral && cal.Segments[1].HasNeutral && cal.Segments[2].HasNeutral ? DeviceStatus.CalNeutral : 0)
                               | (cal.IsComplete ? DeviceStatus.CalHinge : 0) | (cal.HasRange ? DeviceStatus.CalRange : 0);
            s.Capturing = (int)_tracker.Capturing;
            s.Recording = _recorder.IsRecording ? RecordingState.Recording : _recorder.LastStop == StopReason.StorageFull ? RecordingState.StoppedStorageFull : RecordingState.Idle;
            s.SessionId = _recorder.Session != null ? _recorder.Session.Id : 0;
            s.StorageUsedKb = (int)((_parts.Files.TotalBytes - _parts.Files.FreeBytes) / 1024);
            s.StorageTotalKb = (int)(_parts.Files.TotalBytes / 1024);
            s.UndownloadedSessions = _sessions.UndownloadedCount;
            s.Flags = (_configStore.WasReset ? DeviceStatus.FlagConfigReset : 0) | (_timeSet ? DeviceStatus.FlagTimeSet : 0)
                    | (s.Recording == RecordingState.StoppedStorageFull ? DeviceStatus.FlagStorageFull : 0) | (_config.Quiet ? DeviceStatus.FlagQuiet : 0)
                    | (_sessions.RecoveredSessions > 0 ? DeviceStatus.FlagStorageRecovered : 0)
                    | (_sessions.RecordRefused || _calibrationStore.Refused ? DeviceStatus.FlagRecordRefused : 0);
            s.UptimeS = NowMs / 1000;
            s.FifoOverflows = _channels[0].Driver.Overflows + _channels[1].Driver.Overflows + _channels[2].Driver.Overflows;
            s.LiveDropped = _live.Dropped;
            s.LoopOverruns = LoopOverruns;
            s.ControlLost = _control.Lost;
            return s;
        }

        // A channel as the protocol reports it (status, SensorHealth event, session file): the
        // sampler's health, one to one (Starting: a chip being reset and configured).
        private static SensorState StateOf(SensorChannel ch)
        {
            switch (ch.Health)
            {
                case ChannelHealth.Ok: return SensorState.Ok;
                case ChannelHealth.Absent: return SensorState.Absent;
                case ChannelHealth.Starting: return SensorState.Starting;
                default: return SensorState.Retrying;
            }
        }

        private void NotifyStatusIfChanged()
        {
            if (!_connected || !_statusSubscribed) return;
            DeviceStatus s = BuildStatus();
            s.Encode(_statusNow, 0);
            if (!StatusChangedForPeople()) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            System.Array.Copy(_statusNow, 0, _statusNotified, 0, DeviceStatus.EssentialLength);
            System.Array.Copy(_statusNow, 0, b, 0, DeviceStatus.EncodedLength);
            int room = _mtu - GattIds.AttNotifyOverhead;
            _notifications.Commit(GattCharacteristic.Status, DeviceStatus.EncodedLength <= room ? DeviceStatus.EncodedLength : DeviceStatus.EssentialLength);
        }

        // Only what matters to a person counts as a change: every essential field but the battery
        // millivolts (they wander with load) and the storage used (it grows every second while
        // recording). Uptime and counters come with the next notification or a read.
        private bool StatusChangedForPeople()
        {
            for (int i = 0; i < DeviceStatus.EssentialLength; i++)
            {
                if (i == DeviceStatus.OffsetBatteryMillivolts || i == DeviceStatus.OffsetBatteryMillivolts + 1) continue;
                if (i == DeviceStatus.OffsetStorageUsed || i == DeviceStatus.OffsetStorageUsed + 1) continue;
                if (_statusNow[i] != _statusNotified[i]) return true;
            }
            return false;
        }

        private void NotifyConfig()
        {
            if (!_connected) return;
            byte[]? b = _notifications.Reserve();
            if (b == null) return;
            int n = _config.Encode(b, 0);
            if (n > _mtu - GattIds.AttNotifyOverhead)
            {
                // Too big for this MTU: say it changed; the host reads it (reads are not MTU-bound).
                b[0] = 0;
                n = 1;
            }
            _notifications.Commit(GattCharacteristic.Config, n);
        }
    }
}
