using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What the wearer did with the button (<see cref="ButtonGesture"/> tells them apart).</summary>
    public enum ButtonPress
    {
        /// <summary>Calibrate: neutral if not calibrated or after a hinge, else the hinge.</summary>
        Short = 1,

        /// <summary>Start or stop recording (released after the long mark, before the very long one).</summary>
        Long = 2,

        /// <summary>Held past the long mark: a tick, so the wearer knows releasing now means Long.</summary>
        LongReached = 3,

        /// <summary>Held to the very long mark: open the pairing window.</summary>
        VeryLong = 4,
    }

    public sealed partial class DeviceCore
    {
        // --- Link events from the BLE glue. They arrive on the BLE stack's thread while the main
        // loop runs: they only record what happened (under a lock), and the loop applies it at
        // the start of its next Tick. Reads are served from snapshots the loop keeps current. ---

        private readonly object _linkLock = new object();
        private bool _pendingConnect, _pendingDisconnect;
        // Set (under the lock) whenever one of the pending fields is: the loop looks at this first
        // and takes the lock only when there is something to take in (a lock is two native calls
        // and a try/finally per pass on the interpreter, for news that comes a few times a session).
        private bool _linkEventsPending;
        private int _pendingMtu;
        private int _pendingSubscribe, _pendingUnsubscribe;
        // The link may carry the protected characteristics: set by security events on the BLE
        // thread, read there by control writes and reads; under _linkLock.
        private bool _secureNow;
        // The link became secure since the loop last looked: the new peer hears the status once.
        private bool _pendingSecured;
        private readonly PairingWindow _pairing;
        // The window's passkey as the motor plays it, made when the window opens (main loop).
        private readonly int[] _passkeyDigits = new int[PairingWindow.Digits];
        private readonly int[] _passkeyRhythm = new int[HapticRhythm.MaxPasskeyRhythm];
        private int _passkeyRhythmLength;
        // Written when the bonds are cleared: bonds older than it were made without a pairing window.
        private const string BondEpochFile = "pairing.v2";
        private readonly byte[] _statusSnapshot = new byte[DeviceStatus.EncodedLength];
        private readonly byte[] _configSnapshot = new byte[DeviceConfig.MaxEncodedLength];
        private int _configSnapshotLength;
        private int _batterySnapshot;
        private bool _batterySubscribed;
        private long _nextBatteryUs;
        private int _batteryNotified = -1;

        /// <summary>What <see cref="Read"/> returns for a protected characteristic on a link that is not secure.</summary>
        public const int ReadNotPermitted = -1;

        public void OnConnected(int mtu)
        {
            lock (_linkLock)
            {
                _pendingConnect = true;
                _pendingDisconnect = false;
                _pendingMtu = mtu;
                _linkEventsPending = true;
                _secureNow = false;
                _pendingSecured = false;
                // The new host starts with empty queues: nothing in them is for it (events and
                // requests of the old link, whose disconnect may fall in the same loop pass as
                // this connect). Cleared here, before this host can write its first request; the
                // loop holds that request back until it has taken the connect in (TakeRequest).
                _notifications.Clear();
                _notifications.LinkSecure = false;
                _control.Clear();
            }
            _pairing.OnLinkChanged();
        }

        public void OnMtuChanged(int mtu)
        {
            lock (_linkLock)
            {
                _pendingMtu = mtu;
                _linkEventsPending = true;
            }
        }

        public void OnDisconnected()
        {
            lock (_linkLock)
            {
                _pendingDisconnect = true;
                _pendingConnect = false;
                _linkEventsPending = true;
                _secureNow = false;
                _pendingSecured = false;
                _notifications.LinkSecure = false;
            }
            _pairing.OnLinkChanged();
        }

        /// <summary>
        /// The stack reports an encryption change (BLE thread): <paramref name="authenticated"/> =
        /// encrypted with a key made by passkey entry, just now or stored with a bond. Whether that
        /// makes the link secure is the pairing window's call (a link refused a pairing never is).
        /// </summary>
        public void OnSecurityChanged(bool authenticated)
        {
            bool secure = _pairing.OnEncryptionChanged(authenticated);
            lock (_linkLock)
            {
                if (secure && !_secureNow)
                {
                    _pendingSecured = true;
                    _linkEventsPending = true;
                }
                _secureNow = secure;
                _notifications.LinkSecure = secure;
            }
        }

        /// <summary>
        /// The stack asks for the passkey it should "display" for a pairing request (BLE thread):
        /// the open window's passkey, or <see cref="PairingWindow.Refused"/>.
        /// </summary>
        public int OnPairingRequested() { return _pairing.OnPairingRequested(); }

        /// <summary>The pairing window, its passkey and its counters.</summary>
        public PairingWindow Pairing { get { return _pairing; } }

        /// <summary>The stack may store a bond now (the glue sets NimBLE's bonding flag from this): only while a window shows.</summary>
        public bool BondingAllowed { get { return _pairing.IsShowing; } }

        /// <summary>
        /// True until the bonds were cleared once under this pairing scheme: bonds made by earlier
        /// firmware (a passkey derived from the serial) are not to be trusted. Read after <see cref="Boot"/>.
        /// </summary>
        public bool BondsPredateWindows { get { return _parts.Files.Length(_parts.StorageRoot + BondEpochFile) < 0; } }

        /// <summary>Forgets every bonded host (the power-on gesture), with the wearer's confirmation buzz.</summary>
        public void ClearBonds(long nowUs)
        {
            _pairing.Close();
            _parts.Bonds.Clear();
            _scratch[0] = 2;
            _parts.Files.Write(_parts.StorageRoot + BondEpochFile, _scratch, 0, 1);
            _haptics.Play(HapticPattern.BondsCleared, nowUs);
        }

        // Main loop, after the haptics' own tick: the window's time, what the wearer should feel, and
        // the passkey repeated while the window shows (it owns the motor then: a coaching pattern
        // that slips in as a repetition ends is cut short in the same pass, before anything is felt).
        private void TickPairing(long nowUs)
        {
            PairingOutcome o = _pairing.Tick(nowUs);
            if (o == PairingOutcome.Paired) _haptics.Play(HapticPattern.Paired, nowUs);
            else if (o == PairingOutcome.Closed) _haptics.Play(HapticPattern.PairingClosed, nowUs);
            HapticPattern playing = _haptics.Playing;
            if (_pairing.IsShowing && playing != HapticPattern.PairingOpened && playing != HapticPattern.PairingPasskey)
                _haptics.PlayRhythm(HapticPattern.PairingPasskey, _passkeyRhythm, _passkeyRhythmLength, nowUs);
        }

        private void OpenPairingWindow()
        {
            if (_pairing.IsShowing) return; // holding again while it is open changes nothing
            if (_pairing.Open(_nowUs) == PairingOutcome.BondsFull)
            {
                _haptics.Play(HapticPattern.BondsFull, _nowUs);
                return;
            }
            for (int i = 0; i < PairingWindow.Digits; i++) _passkeyDigits[i] = _pairing.Digit(i);
            _passkeyRhythmLength = HapticRhythm.Passkey(_passkeyDigits, PairingWindow.Digits, _passkeyRhythm);
            _haptics.Play(HapticPattern.PairingOpened, _nowUs);
        }

        public bool Connected { get { return _connected; } }

        public void OnSubscribe(GattCharacteristic c, bool on)
        {
            lock (_linkLock)
            {
                int bit = 1 << (int)c;
                _linkEventsPending = true;
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
            if (!_linkEventsPending) return;
            bool connect, disconnect, secured;
            int mtu, subscribe, unsubscribe;
            lock (_linkLock)
            {
                _linkEventsPending = false;
                secured = _pendingSecured;
                _pendingSecured = false;
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
            if (secured) System.Array.Clear(_statusNotified, 0, _statusNotified.Length); // the peer could not hear it before
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
            // Nothing written: no lock (the count is read again under it below).
            if (_control.Waiting == 0)
            {
                length = 0;
                return false;
            }
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
        public void OnControlWrite(byte[] data, int length)
        {
            bool secure;
            lock (_linkLock) secure = _secureNow;
            _control.OnWrite(data, length, secure);
        }

        /// <summary>
        /// Reads a characteristic's current value into buffer; returns its length (0 for unknown,
        /// <see cref="ReadNotPermitted"/> for Config and Status on a link that is not secure).
        /// Safe from the BLE thread: it copies the snapshot the main loop last took.
        /// </summary>
        public int Read(GattCharacteristic c, byte[] buffer)
        {
            lock (_linkLock)
            {
                if (!_secureNow && (c == GattCharacteristic.Config || c == GattCharacteristic.Status)) return ReadNotPermitted;
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
                _snapshotWriter.Reset(_statusSnapshot);
                s.Encode(_snapshotWriter);
                _snapshotWriter.Reset(_configSnapshot);
                _configSnapshotLength = _config.Encode(_snapshotWriter);
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
            if (press == ButtonPress.VeryLong)
            {
                OpenPairingWindow();
                return;
            }
            if (press == ButtonPress.LongReached)
            {
                _haptics.Play(HapticPattern.ButtonTick, _nowUs);
                return;
            }
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
            _snapshotWriter.Reset(_statusNow);
            s.Encode(_snapshotWriter);
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
            _snapshotWriter.Reset(b);
            int n = _config.Encode(_snapshotWriter);
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
