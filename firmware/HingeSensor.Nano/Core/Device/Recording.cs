using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// Recording as the device does it: a session starts with a header saying who, when, with
    /// which config and calibration; frames are cut from the tracker's reports at the record
    /// rate; reps and events go with them. A recording that ends by itself (flash full, flash
    /// error) is told to the wearer, the host and the status, however it happened. The sessions'
    /// digests are computed in the background, a step a pass.
    /// </summary>
    public sealed class Recording : IRecordingControl
    {
        private readonly SessionRecorder _recorder;
        private readonly SessionDigester _digester;
        private readonly DeviceIdentity _identity;
        private readonly DeviceClock _clock;
        private readonly Configuration _configuration;
        private readonly PostureTracker _tracker;
        private readonly AlertHaptics _alerts;
        private readonly HostEvents _events;
        private readonly IHostView _view;
        // Reports per recorded frame, fixed when a session starts: its header states one rate for
        // all its frames, so a rate written mid-session waits for the next session.
        private int _recordEvery = 1;
        // A session is running, as far as this part has heard: a stop the recorder made itself
        // shows as a difference.
        private bool _running;
        // The one buffer a reported rep passes through on its way to the session (a Rep is 240 B
        // of the device's heap).
        private readonly Rep _lastRep = new Rep();

        public Recording(SessionRecorder recorder, SessionDigester digester, DeviceIdentity identity, DeviceClock clock,
            Configuration configuration, PostureTracker tracker, AlertHaptics alerts, HostEvents events, IHostView view)
        {
            _recorder = recorder;
            _digester = digester;
            _identity = identity;
            _clock = clock;
            _configuration = configuration;
            _tracker = tracker;
            _alerts = alerts;
            _events = events;
            _view = view;
        }

        public SessionRecorder Recorder { get { return _recorder; } }

        public ResultCode Start()
        {
            if (_recorder.IsRecording) return ResultCode.InvalidState;
            DeviceConfig config = _configuration.Current;
            int every = _configuration.ReportsPer(config.RecordRateHz);
            var header = new SessionHeader();
            header.DeviceSerial = _identity.Serial;
            header.FirmwareMajor = _identity.FirmwareMajor;
            header.FirmwareMinor = _identity.FirmwareMinor;
            header.FirmwarePatch = _identity.FirmwarePatch;
            header.StartUnixMs = _clock.UnixMs;
            header.StartDeviceMs = _clock.NowMs;
            header.FrameRateHz = _configuration.ReportRate / every; // the rate the frames are cut at: the config's unless the sensors run slower
            header.Config.CopyFrom(config);
            header.Calibration.CopyFrom(_tracker.Calibration);
            if (_recorder.Start(header, _tracker.TimeS) == null)
            {
                if (_recorder.LastStop != StopReason.StorageFull) return ResultCode.InternalError;
                _alerts.OnStorageFull(_clock.NowUs);
                return ResultCode.StorageFull;
            }
            _recordEvery = every;
            _running = true;
            _view.NotifyStatusIfChanged();
            return ResultCode.Success;
        }

        public bool Stop()
        {
            if (!_recorder.IsRecording) return false;
            // A rep still in its lockout window belongs to this session: the wearer who stops right
            // after the last rep would otherwise lose it (its lockout judged on the part of the
            // window seen). Seen in a browser test: "stop" 0.2 s after the set, 2 reps of 3 kept.
            if (_tracker.Reps.Flush() && _tracker.Reps.TakeCompleted(_lastRep)) _recorder.AddRep(_lastRep);
            _recorder.Stop(StopReason.Requested, _tracker.TimeS);
            Stopped();
            return true;
        }

        public int SessionId
        {
            get
            {
                SessionInfo? s = _recorder.Session;
                return s != null ? s.Id : 0;
            }
        }

        /// <summary>
        /// A report of the tracker (the <paramref name="reportCount"/>-th since boot): recorded
        /// when it falls on the record rate. The recorder stops by itself when the flash is full
        /// or fails, inside whichever call flushed (a frame, a rep): looked at here, at every
        /// report, so that it is reported however it happened.
        /// </summary>
        public void OnReport(PostureMetrics metrics, int reportCount)
        {
            if (!_running) return;
            if (reportCount % _recordEvery == 0) _recorder.AddFrame(metrics);
            if (!_recorder.IsRecording) Stopped();
        }

        /// <summary>The rep the detector has just reported, into the session if one is running.</summary>
        public void TakeRep(RepDetector reps)
        {
            if (reps.TakeCompleted(_lastRep)) AddRep(_lastRep);
        }

        public void AddRep(Rep rep)
        {
            if (!_running) return;
            _recorder.AddRep(rep);
            if (!_recorder.IsRecording) Stopped();
        }

        /// <summary>An event at tracker time <paramref name="trackerS"/> (docs/session-format.md: kinds and fields).</summary>
        public void AddEvent(SessionEventKind kind, float trackerS, int a, int b, int value)
        {
            _recorder.AddEvent(kind, trackerS, a, b, value);
        }

        /// <summary>One step of the background digest (main loop, every pass).</summary>
        public void Pump() { _digester.Pump(); }

        private void Stopped()
        {
            _running = false;
            StopReason reason = _recorder.LastStop;
            if (reason == StopReason.StorageFull) _alerts.OnStorageFull(_clock.NowUs);
            _events.RecordingStopped(_recorder.LastSessionId, reason);
            _view.NotifyStatusIfChanged();
        }
    }
}
