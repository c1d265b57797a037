using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The firmware without its hardware, put together from its parts and driven by
    /// <see cref="Tick"/> from the device's main loop (every 10 ms or faster). The glue in
    /// Hardware/ feeds it time, I2C, PWM, flash and BLE; tests feed it models of the same. What
    /// each part does is in its own file; here is only who talks to whom, the order of one pass,
    /// and the entry points of the BLE glue, the button and the tests.
    /// </summary>
    public sealed class DeviceCore
    {
        private readonly DeviceParts _parts;
        private readonly DeviceClock _clock = new DeviceClock();
        private readonly LockstepSampler _sampler;
        private readonly SensorFrame _frame = new SensorFrame();
        private readonly PostureTracker _tracker;
        private readonly PostureCoach _coach;
        private readonly HapticEngine _haptics;
        private readonly Bonding _bonding;
        private readonly PairingWindow _pairing; // its Quiet is read every pass
        private readonly LinkState _link;
        // Also here: the glue's notify pump asks for it up to ten times a pass.
        private readonly NotificationQueue _notifications;
        private readonly LiveStreamer _live;
        private readonly DownloadPump _download;
        private readonly RequestDispatcher _requests;
        private readonly ControlPoint _control; // its Waiting is read every pass
        private readonly SessionStore _sessions;
        private readonly Recording _recording;
        private readonly Configuration _configuration;
        private readonly StatusBuilder _status;
        private readonly HostView _view;

        public DeviceCore(DeviceParts parts)
        {
            _parts = parts;
            // The sample path: drivers, the lockstep sampler, the tracker.
            var channels = new SensorChannel[Segments.Count];
            for (int i = 0; i < Segments.Count; i++) channels[i] = new SensorChannel(parts.Imus[i], parts.Imu);
            _sampler = new LockstepSampler(channels, parts.Imu);
            _tracker = new PostureTracker(new TrackerSettings());
            // The wearer's side: the motor, and the config that says how loud it is.
            _haptics = new HapticEngine(parts.Motor);
            var alerts = new AlertHaptics(_haptics);
            _configuration = new Configuration(new ConfigStore(parts.Files, parts.StorageRoot), _tracker.Settings, alerts, parts.Imu.RateHz);
            // Flash.
            _sessions = new SessionStore(parts.Files, parts.StorageRoot, parts.Random);
            var calibrationStore = new CalibrationStore(parts.Files, parts.StorageRoot);
            var recorder = new SessionRecorder(_sessions, parts.Files);
            // The host's side: the link, what it carries, what it sees. 16 notifications × 244
            // bytes, every slot heap: a download keeps ten in flight, more than the eight a 10 ms
            // pass must hand a link of 800 notifications/s (7.5 ms events of six), with the
            // control reserve and live frames beside them.
            _notifications = new NotificationQueue(16);
            var control = new ControlPoint(_notifications);
            _control = control;
            var pairing = new PairingWindow(parts.Random, parts.Bonds);
            _pairing = pairing;
            _link = new LinkState(_notifications, control);
            _live = new LiveStreamer(_notifications);
            _download = new DownloadPump(_sessions, _notifications, control);
            _status = new StatusBuilder(parts, _sampler, _tracker, recorder, _sessions, calibrationStore, _configuration, _clock, _live, control);
            _view = new HostView(_link, _notifications, _status, _configuration, parts.Battery);
            var hostEvents = new HostEvents(control, _link);
            // What runs on them.
            _recording = new Recording(recorder, _sessions.Digester, parts.Identity, _clock, _configuration, _tracker, alerts, hostEvents, _view);
            _coach = new PostureCoach(_tracker, _sampler, calibrationStore, alerts, _recording, hostEvents, _live, _link, _configuration, _clock);
            _bonding = new Bonding(pairing, _haptics, parts);
            _requests = new RequestDispatcher(_link, control, _clock, _tracker, _haptics, _recording, _sessions, _download, _configuration, _view);
        }

        /// <summary>Loads the config and calibration, recovers the sessions, starts the sensors.</summary>
        public void Boot(long nowUs)
        {
            _clock.Boot(nowUs);
            _configuration.Load();
            _coach.RestoreCalibration();
            _sessions.Recover();
            _sampler.Begin(nowUs);
            _live.SetMtu(_link.Mtu);
            _view.Refresh();
        }

        /// <summary>One pass of the main loop.</summary>
        public void Tick(long nowUs)
        {
            _clock.NowUs = nowUs;
            // What the BLE thread handed over (link events, requests) is looked for through fields
            // first: nearly every pass there is none, and each look through a call costs ≈ 700
            // interpreter instructions or more.
            if (_link.EventsPending)
            {
                int linkChange = _link.TakeEvents();                          // what the BLE thread reported meanwhile
                if (linkChange != 0) OnLinkChanged(linkChange);
            }
            int sensorsChanged = _sampler.Service(nowUs);                     // drivers: each chip's FIFO, in turn
            while (_sampler.TryNext(nowUs, _frame)) _coach.OnSample(_frame);  // sample → tracker → decision → haptics / recorder / live
            if (sensorsChanged != 0) _coach.OnSensorsChanged(sensorsChanged);
            if (nowUs >= _haptics.DueUs) _haptics.Tick(nowUs);                // the motor's pulses
            if (!_pairing.Quiet) _bonding.Tick(nowUs);                        // the pairing window, which owns the motor while it shows
            if (nowUs >= _live.DueUs) _live.Tick(nowUs);                      // a live packet that has waited long enough goes
            if (_control.Waiting != 0 && _requests.RunWaiting()) _view.Refresh(); // a host reads status and config right after its requests
            if (_link.Connected) _download.Pump(_link.Mtu);
            _recording.Pump();                                                // the sessions' digests, a step a pass
            if (nowUs >= _view.DueUs) _view.Tick(nowUs);                      // the status every second, the battery every 10 s
        }

        // What a link starting, ending or changing means for the traffic on it and what its host has heard.
        private void OnLinkChanged(int change)
        {
            if ((change & LinkState.Ended) != 0)
            {
                _download.Abort();
                _live.Reset();
            }
            if ((change & LinkState.MtuChanged) != 0) _live.SetMtu(_link.Mtu);
            _view.OnLinkChanged(change);
        }

        // --- The button. ---

        public void OnButton(ButtonPress press)
        {
            long now = _clock.NowUs;
            switch (press)
            {
                case ButtonPress.VeryLong:
                    _bonding.Open(now);
                    return;
                case ButtonPress.LongReached:
                    _haptics.Play(HapticPattern.ButtonTick, now);
                    return;
                case ButtonPress.Long:
                    if (!_recording.Stop()) _recording.Start();
                    return;
            }
            // Short: the next calibration step (neutral first; the hinge after it; neutral again once both are done).
            BodyCalibration cal = _tracker.Calibration;
            TrackerSettings settings = _tracker.Settings;
            if (cal.Segments[0].HasNeutral && !cal.IsComplete) _tracker.BeginCalibration(CalibrationStep.Hinge, settings.MovementCaptureTimeoutS);
            else _tracker.BeginCalibration(CalibrationStep.Neutral, settings.NeutralCaptureS);
        }

        // --- The BLE glue (BleServer on the device, the link models in tests): events on the
        // stack's thread, taken in by the next Tick; reads served from snapshots. ---

        public void OnConnected(int mtu)
        {
            _link.OnConnected(mtu);
            _bonding.Window.OnLinkChanged();
        }

        public void OnMtuChanged(int mtu) { _link.OnMtuChanged(mtu); }

        public void OnDisconnected()
        {
            _link.OnDisconnected();
            _bonding.Window.OnLinkChanged();
        }

        /// <summary>
        /// An encryption change: <paramref name="authenticated"/> = encrypted with a key made by
        /// passkey entry, just now or stored with a bond. Whether that makes the link secure is
        /// the pairing window's call (a link refused a pairing never is).
        /// </summary>
        public void OnSecurityChanged(bool authenticated) { _link.OnSecurityChanged(_bonding.Window.OnEncryptionChanged(authenticated)); }

        public void OnSubscribe(GattCharacteristic c, bool on) { _link.OnSubscribe(c, on); }

        /// <summary>A write on the control characteristic: checked and queued (see <see cref="ControlPoint"/>).</summary>
        public void OnControlWrite(byte[] data, int length) { _link.OnControlWrite(data, length); }

        /// <summary>The passkey the stack should "display" for a pairing request: the open window's, or <see cref="PairingWindow.Refused"/>.</summary>
        public int OnPairingRequested() { return _bonding.Window.OnPairingRequested(); }

        /// <summary>What <see cref="Read"/> returns for a protected characteristic on a link that is not secure.</summary>
        public const int ReadNotPermitted = HostView.ReadNotPermitted;

        /// <summary>A characteristic's value into buffer; its length (see <see cref="HostView.Read"/>).</summary>
        public int Read(GattCharacteristic c, byte[] buffer) { return _view.Read(c, buffer); }

        /// <summary>The stack may store a bond now (the glue sets NimBLE's bonding flag from this): only while a window shows.</summary>
        public bool BondingAllowed { get { return _bonding.Window.IsShowing; } }

        /// <summary>Bonds made by firmware before pairing windows are still there (read after <see cref="Boot"/>).</summary>
        public bool BondsPredateWindows { get { return _bonding.BondsPredateWindows; } }

        /// <summary>Forgets every bonded host (the power-on gesture), with the wearer's confirmation buzz.</summary>
        public void ClearBonds(long nowUs) { _bonding.Clear(nowUs); }

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
        public string DeviceName { get { return _configuration.Current.DeviceName; } }

        public bool Connected { get { return _link.Connected; } }
        public int Mtu { get { return _link.Mtu; } }

        /// <summary>Main-loop passes over their period, counted by the glue (reported in the status).</summary>
        public int LoopOverruns
        {
            get { return _status.LoopOverruns; }
            set { _status.LoopOverruns = value; }
        }

        // --- The parts, for the glue, the bench and tests. ---

        public PostureTracker Tracker { get { return _tracker; } }
        public HapticEngine Haptics { get { return _haptics; } }
        public SessionStore Sessions { get { return _sessions; } }
        public SessionRecorder Recorder { get { return _recording.Recorder; } }
        public NotificationQueue Notifications { get { return _notifications; } }
        public ControlPoint Control { get { return _link.Control; } }
        public LiveStreamer Live { get { return _live; } }
        public DeviceConfig Config { get { return _configuration.Current; } }
        public ConfigStore ConfigStore { get { return _configuration.Store; } }
        public LockstepSampler Sampler { get { return _sampler; } }
        public DownloadPump Download { get { return _download; } }

        /// <summary>The pairing window, its passkey and its counters.</summary>
        public PairingWindow Pairing { get { return _bonding.Window; } }

        /// <summary>Optional: sees every lockstep sample before it is processed (recording raw data, tests).</summary>
        public ISampleTap? Tap
        {
            get { return _coach.Tap; }
            set { _coach.Tap = value; }
        }

        /// <summary>Lockstep samples processed since boot.</summary>
        public int Samples { get { return _coach.Samples; } }

        /// <summary>Device time, ms since boot.</summary>
        public uint NowMs { get { return _clock.NowMs; } }

        /// <summary>Wall clock, unix ms, or 0 if never set.</summary>
        public long UnixMs { get { return _clock.UnixMs; } }

        public DeviceStatus BuildStatus() { return _status.Build(); }

        /// <summary>Starts recording, as a long button press does.</summary>
        public ResultCode StartRecording() { return _recording.Start(); }
    }
}
