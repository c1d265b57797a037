using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The firmware without its hardware: sampling, the per-sample pipeline, haptics, recording,
    /// configuration and the BLE profile's logic, driven by <see cref="Tick"/> from the device's
    /// main loop (every 10 ms or faster). The glue in Hardware/ feeds it time, I2C, PWM, flash and
    /// BLE; tests feed it models of the same.
    /// </summary>
    public sealed partial class DeviceCore
    {
        private readonly DeviceParts _parts;
        private readonly SensorChannel[] _channels = new SensorChannel[Segments.Count];
        private readonly LockstepSampler _sampler;
        private readonly SensorFrame _frame = new SensorFrame();
        private readonly TrackerSettings _trackerSettings = new TrackerSettings();
        private readonly PostureTracker _tracker;
        private readonly HapticEngine _haptics;
        private readonly DeviceConfig _config = new DeviceConfig();
        private readonly ConfigStore _configStore;
        private readonly SessionStore _sessions;
        private readonly SessionRecorder _recorder;
        // 16 × 244 bytes, every slot heap: a download keeps ten in flight, more than the eight a
        // 10 ms pass must hand a link of 800 notifications/s (7.5 ms events of six), with the
        // control reserve and live frames beside them.
        private readonly NotificationQueue _notifications = new NotificationQueue(16);
        private readonly ControlPoint _control;
        private readonly LiveStreamer _live;
        private readonly DownloadPump _download;
        private readonly DeviceStatus _status = new DeviceStatus();
        private readonly byte[] _scratch = new byte[256];
        private readonly byte[] _request = new byte[ControlPoint.MaxRequest];
        private readonly CalibrationStore _calibrationStore;
        private readonly PostureMetrics _metrics;
        // The tracker's parts the per-sample path reads, held here: a property read is a call on
        // the device's interpreter.
        private readonly RepDetector _reps;
        private readonly AlignmentMonitor _monitor;
        private readonly AlignmentEventQueue _events;
        private readonly float[] _segmentOrientations;
        private readonly LiveSample _liveSample = new LiveSample();
        // Reused for every event and record the loop encodes (a new one would be an allocation).
        private readonly ByteWriter _writer = new ByteWriter();
        private readonly ByteReader _reader = new ByteReader();
        // Status and config snapshots are encoded with their own: they are taken in the middle of
        // handling requests that are still using _writer.
        private readonly ByteWriter _snapshotWriter = new ByteWriter();
        private readonly AlignmentEvent _event = new AlignmentEvent();
        private readonly Rep _rep = new Rep();
        private long _nowUs;
        private long _bootUs;
        private long _wallOffsetMs;
        private bool _timeSet;
        private int _sampleCount;
        // Tracker reports (complete metrics) since boot: recording and live run on them.
        private int _reportCount;
        // Reports per recorded frame, fixed when a session starts: its header states one rate for
        // all its frames, so a rate written mid-session waits for the next session.
        private int _recordEvery = 1;
        // The recorder was running when last looked at (a stop not asked for shows as a change).
        private bool _recording;
        private int _mtu = GattIds.MinimumMtu;
        private bool _connected;
        private bool _liveSubscribed;
        private bool _statusSubscribed;
        private long _nextStatusUs;
        private readonly byte[] _statusNow = new byte[DeviceStatus.EncodedLength];
        private readonly byte[] _statusNotified = new byte[DeviceStatus.EssentialLength];

        public DeviceCore(DeviceParts parts)
        {
            _parts = parts;
            for (int i = 0; i < Segments.Count; i++) _channels[i] = new SensorChannel(parts.Imus[i], parts.Imu);
            _sampler = new LockstepSampler(_channels, parts.Imu);
            _tracker = new PostureTracker(_trackerSettings);
            _metrics = _tracker.Metrics;
            _reps = _tracker.Reps;
            _monitor = _tracker.Monitor;
            _events = _tracker.Events;
            _segmentOrientations = _tracker.SegmentOrientations;
            _haptics = new HapticEngine(parts.Motor);
            _configStore = new ConfigStore(parts.Files, parts.StorageRoot);
            _sessions = new SessionStore(parts.Files, parts.StorageRoot, parts.Random);
            _calibrationStore = new CalibrationStore(parts.Files, parts.StorageRoot);
            _recorder = new SessionRecorder(_sessions, parts.Files);
            _control = new ControlPoint(_notifications);
            _live = new LiveStreamer(_notifications);
            _download = new DownloadPump(_sessions, _notifications, _control);
            _pairing = new PairingWindow(parts.Random, parts.Bonds);
        }

        public PostureTracker Tracker { get { return _tracker; } }
        public HapticEngine Haptics { get { return _haptics; } }
        public SessionStore Sessions { get { return _sessions; } }
        public SessionRecorder Recorder { get { return _recorder; } }
        public NotificationQueue Notifications { get { return _notifications; } }
        public ControlPoint Control { get { return _control; } }
        public LiveStreamer Live { get { return _live; } }
        public DeviceConfig Config { get { return _config; } }
        public ConfigStore ConfigStore { get { return _configStore; } }
        public LockstepSampler Sampler { get { return _sampler; } }
        public DownloadPump Download { get { return _download; } }
        public int Mtu { get { return _mtu; } }

        /// <summary>Optional: sees every lockstep sample before it is processed (recording raw data, tests).</summary>
        public ISampleTap? Tap;

        /// <summary>Lockstep samples processed since boot.</summary>
        public int Samples { get { return _sampleCount; } }

        /// <summary>Device time, ms since boot.</summary>
        public uint NowMs { get { return (uint)((_nowUs - _bootUs) / 1000); } }

        /// <summary>Loads the config and calibration, recovers the sessions, starts the sensors.</summary>
        public void Boot(long nowUs)
        {
            _nowUs = nowUs;
            _bootUs = nowUs;
            _configStore.Load(_config);
            ApplyConfig();
            LoadCalibration();
            _sessions.Recover();
            _sampler.Begin(nowUs);
            _live.SetMtu(_mtu);
            TakeSnapshots();
        }

        /// <summary>One pass of the main loop.</summary>
        public void Tick(long nowUs)
        {
            _nowUs = nowUs;
            ApplyLinkEvents();
            _sampler.Service(nowUs);
            while (_sampler.TryNext(nowUs, _frame)) ProcessSample();
            CheckSensorHealth();
            _haptics.Tick(nowUs);
            TickPairing(nowUs);
            _live.Tick(nowUs);
            bool executed = false;
            while (TakeRequest(out int length))
            {
                Execute(_request, length);
                executed = true;
            }
            // A host reads the status and config right after its requests (set time, calibrate,
            // record): it must see their effect, not the once-a-second snapshot before them.
            if (executed) TakeSnapshots();
            if (_connected) _download.Pump(_mtu);
            _sessions.Digester.Pump();
            if (nowUs >= _nextStatusUs)
            {
                _nextStatusUs = nowUs + 1000000;
                NotifyStatusIfChanged();
                TakeSnapshots();
            }
            NotifyBatteryIfChanged();
        }

        private void ProcessSample()
        {
            _sampleCount++;
            if (Tap != null) Tap.OnSample(_frame);
            // Every sample is decided on (alignment, reps); the complete metrics that recording
            // and the live stream carry come every ReportIntervalS (see TrackerSettings).
            bool reported = _tracker.Update(_frame);

            CalibrationReport report;
            if (_tracker.TakeCalibrationReport(out report)) OnCalibration(report);

            while (_events.TryDequeue(_event)) OnAlignment(_event);

            if (_reps.TakeCompleted(_rep)) _recorder.AddRep(_rep);

            if (reported)
            {
                _reportCount++;
                if (_recorder.IsRecording && _reportCount % _recordEvery == 0) _recorder.AddFrame(_metrics);
                if (_liveSubscribed && _connected && _reportCount % ReportsPer(_config.LiveRateHz) == 0) SendLive();
            }
            // The recorder stops by itself when the flash is full or fails, inside whichever call
            // flushed (a frame, a rep): report it however it happened.
            if (_recording && !_recorder.IsRecording) OnRecordingStopped();
        }

        /// <summary>Reports per sample of a stream at <paramref name="rateHz"/> (a config rate divides the report rate).</summary>
        private int ReportsPer(int rateHz)
        {
            int n = DeviceConfig.ReportRateHz / rateHz;
            return n < 1 ? 1 : n;
        }

        private void SendLive()
        {
            LiveSample f = _liveSample;
            PostureMetrics m = _metrics;
            f.Sequence = _live.NextSequence();
            f.TimeMs = NowMs;
            System.Array.Copy(_segmentOrientations, 0, f.Orientations, 0, 12);
            f.TrunkFlexionDeg = m.TrunkFlexionDeg;
            f.HeadFlexionDeg = m.HeadFlexionDeg;
            f.HingeDeg = m.HingeAngleDeg;
            f.TorsoDeg = m.TorsoAngleDeg;
            f.DowelGapCm = m.DowelGapCm;
            f.Phase = (int)_reps.Phase;
            f.FaultMask = _monitor.ActiveMask;
            f.ValidMask = m.ValidSegments;
            f.RepCount = _reps.Count;
            _live.Add(f, _nowUs);
        }

        private void OnAlignment(AlignmentEvent e)
        {
            switch (e.Kind)
            {
                case AlignmentEventKind.Started:
                case AlignmentEventKind.Reminder:
                    _haptics.Play(PatternFor(e.Fault), _nowUs);
                    break;
                case AlignmentEventKind.Corrected:
                    _haptics.Play(HapticPattern.Corrected, _nowUs);
                    break;
            }
            int peak = (int)(e.PeakDeg * 100f);
            _recorder.AddEvent(SessionEventKind.Alignment, e.TimeS, (int)e.Kind, (int)e.Fault, peak);
            if (!_connected) return;
            ByteWriter w = _writer;
            w.Reset(_scratch);
            w.U8((int)e.Kind);
            w.U8((int)e.Fault);
            w.U32(NowMs);
            w.Centidegrees(e.PeakDeg);
            SendEvent(DeviceEvent.Alignment, w.Position);
        }

        // Events are for the host connected now: queued while no one is, they would reach the
        // next host late and out of context (the status tells it the state instead).
        private void SendEvent(DeviceEvent e, int length)
        {
            if (_connected) _control.Event(e, _scratch, length);
        }

        private static HapticPattern PatternFor(Fault f)
        {
            if (f == Fault.BackRounding) return HapticPattern.BackRounding;
            if (f == Fault.ChinDrop) return HapticPattern.ChinDrop;
            return HapticPattern.HeadUp;
        }

        private void OnCalibration(CalibrationReport r)
        {
            bool ok = r.Status == CalibrationStatus.Ok;
            _haptics.Play(ok ? HapticPattern.CalibrationDone : HapticPattern.CalibrationFailed, _nowUs);
            _recorder.AddEvent(SessionEventKind.Calibration, _tracker.TimeS, (int)r.Step, (int)r.Status, 0);
            if (ok) SaveCalibration();
            ByteWriter w = _writer;
            w.Reset(_scratch);
            w.U8((int)r.Step);
            w.U8((int)r.Status);
            w.U8(r.FailedSegment < 0 ? 0xFF : r.FailedSegment);
            for (int i = 0; i < 3; i++) w.U8((int)(r.SegmentQuality[i] * 255f));
            w.Centidegrees(_tracker.Calibration.RangeTrunkFlexionDeg);
            SendEvent(DeviceEvent.CalibrationDone, w.Position);
        }

        private void CheckSensorHealth()
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                SensorChannel ch = _channels[i];
                if (!ch.TakeHealthChange()) continue;
                if (!ch.IsOk) _haptics.Play(HapticPattern.SensorFault, _nowUs);
                SensorState state = StateOf(ch);
                _recorder.AddEvent(SessionEventKind.SensorHealth, _tracker.TimeS, i, (int)state, 0);
                _scratch[0] = (byte)i;
                _scratch[1] = (byte)state;
                SendEvent(DeviceEvent.SensorHealth, 2);
            }
        }

        private void OnRecordingStopped()
        {
            _recording = false;
            StopReason reason = _recorder.LastStop;
            if (reason == StopReason.StorageFull) _haptics.Play(HapticPattern.StorageFull, _nowUs);
            _scratch[0] = (byte)_recorder.LastSessionId;
            _scratch[1] = (byte)(_recorder.LastSessionId >> 8);
            _scratch[2] = (byte)reason;
            SendEvent(DeviceEvent.RecordingStopped, 3);
            NotifyStatusIfChanged();
        }

        private void ApplyConfig()
        {
            _config.ApplyTo(_trackerSettings);
            _tracker.Monitor.SetRange(_tracker.Calibration.HasRange, _tracker.Calibration.RangeTrunkFlexionDeg);
            _haptics.Quiet = _config.Quiet;
            _haptics.Intensity = _config.HapticIntensityPercent * 0.01f;
        }

        private void SaveCalibration()
        {
            _calibrationStore.Save(_tracker.Calibration);
        }

        private void LoadCalibration()
        {
            var cal = new BodyCalibration();
            if (_calibrationStore.Load(cal)) _tracker.ApplyCalibration(cal);
        }
    }
}
