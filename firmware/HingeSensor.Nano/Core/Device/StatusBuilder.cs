using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The status characteristic's content (docs/protocol.md), gathered from the parts that know
    /// each field: battery, sensors, calibration, recording, storage, flags, counters. Read-only
    /// towards them; one <see cref="DeviceStatus"/>, filled again at every call.
    /// </summary>
    public sealed class StatusBuilder
    {
        private readonly DeviceStatus _status = new DeviceStatus();
        private readonly DeviceParts _parts;
        private readonly LockstepSampler _sampler;
        private readonly PostureTracker _tracker;
        private readonly SessionRecorder _recorder;
        private readonly SessionStore _sessions;
        private readonly CalibrationStore _calibrationStore;
        private readonly Configuration _configuration;
        private readonly DeviceClock _clock;
        private readonly LiveStreamer _live;
        private readonly ControlPoint _control;

        public StatusBuilder(DeviceParts parts, LockstepSampler sampler, PostureTracker tracker, SessionRecorder recorder,
            SessionStore sessions, CalibrationStore calibrationStore, Configuration configuration, DeviceClock clock, LiveStreamer live, ControlPoint control)
        {
            _parts = parts;
            _sampler = sampler;
            _tracker = tracker;
            _recorder = recorder;
            _sessions = sessions;
            _calibrationStore = calibrationStore;
            _configuration = configuration;
            _clock = clock;
            _live = live;
            _control = control;
        }

        /// <summary>Main-loop passes over their period, counted by the glue.</summary>
        public int LoopOverruns;

        public DeviceStatus Build()
        {
            DeviceStatus s = _status;
            IBattery battery = _parts.Battery;
            IFileStore files = _parts.Files;
            int mv = battery.Millivolts;
            s.BatteryMillivolts = mv;
            s.BatteryPercent = LiPo.Percent(mv);
            s.Charging = battery.Charging;
            int overflows = 0;
            for (int i = 0; i < 3; i++)
            {
                SensorChannel ch = _sampler.Channel(i);
                s.Sensors[i] = SensorStates.Of(ch.Health);
                overflows += ch.Driver.Overflows;
            }
            BodyCalibration cal = _tracker.Calibration;
            s.CalibrationFlags = (cal.Segments[0].HasNeutral && cal.Segments[1].HasNeutral && cal.Segments[2].HasNeutral ? DeviceStatus.CalNeutral : 0)
                               | (cal.IsComplete ? DeviceStatus.CalHinge : 0) | (cal.HasRange ? DeviceStatus.CalRange : 0);
            s.Capturing = (int)_tracker.Capturing;
            s.Recording = _recorder.IsRecording ? RecordingState.Recording : _recorder.LastStop == StopReason.StorageFull ? RecordingState.StoppedStorageFull : RecordingState.Idle;
            s.SessionId = _recorder.Session != null ? _recorder.Session.Id : 0;
            s.StorageUsedKb = (int)((files.TotalBytes - files.FreeBytes) / 1024);
            s.StorageTotalKb = (int)(files.TotalBytes / 1024);
            s.UndownloadedSessions = _sessions.UndownloadedCount;
            s.Flags = (_configuration.Store.WasReset ? DeviceStatus.FlagConfigReset : 0) | (_clock.TimeSet ? DeviceStatus.FlagTimeSet : 0)
                    | (s.Recording == RecordingState.StoppedStorageFull ? DeviceStatus.FlagStorageFull : 0) | (_configuration.Current.Quiet ? DeviceStatus.FlagQuiet : 0)
                    | (_sessions.RecoveredSessions > 0 ? DeviceStatus.FlagStorageRecovered : 0)
                    | (_sessions.RecordRefused || _calibrationStore.Refused ? DeviceStatus.FlagRecordRefused : 0);
            s.UptimeS = _clock.NowMs / 1000;
            s.FifoOverflows = overflows;
            s.LiveDropped = _live.Dropped;
            s.LoopOverruns = LoopOverruns;
            s.ControlLost = _control.Lost;
            return s;
        }
    }
}
