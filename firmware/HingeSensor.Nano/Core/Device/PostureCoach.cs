using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// One lockstep sample through the tracker (fusion, captures, metrics, alignment decision,
    /// reps), and what came of it handed on: alerts to the wearer's motor, events, reps and
    /// frames to the recording, live frames and events to the host. Also the sensors' health
    /// changes, which reach the same three, and the calibration's life on flash.
    /// </summary>
    public sealed class PostureCoach
    {
        private readonly PostureTracker _tracker;
        private readonly LockstepSampler _sampler;
        private readonly CalibrationStore _calibrationStore;
        private readonly AlertHaptics _alerts;
        private readonly Recording _recording;
        private readonly HostEvents _hostEvents;
        private readonly LiveStreamer _live;
        private readonly LinkState _link;
        private readonly Configuration _configuration;
        private readonly DeviceClock _clock;
        // The tracker's parts read at every sample, held here: a property read is a call on the
        // device's interpreter.
        private readonly PostureMetrics _metrics;
        private readonly RepDetector _reps;
        private readonly AlignmentMonitor _monitor;
        private readonly AlignmentEventQueue _events;
        private readonly CoachingCueQueue _cues;
        private readonly float[] _segmentOrientations;
        // Filled in place for every event, rep and live frame (a new one would be an allocation).
        private readonly AlignmentEvent _event = new AlignmentEvent();
        private readonly CoachingCueEvent _cue = new CoachingCueEvent();
        private readonly LiveSample _liveSample = new LiveSample();
        // Tracker reports (complete metrics) since boot: recording and live are cut from them.
        private int _reportCount;

        public PostureCoach(PostureTracker tracker, LockstepSampler sampler, CalibrationStore calibrationStore, AlertHaptics alerts,
            Recording recording, HostEvents hostEvents, LiveStreamer live, LinkState link, Configuration configuration, DeviceClock clock)
        {
            _tracker = tracker;
            _sampler = sampler;
            _calibrationStore = calibrationStore;
            _alerts = alerts;
            _recording = recording;
            _hostEvents = hostEvents;
            _live = live;
            _link = link;
            _configuration = configuration;
            _clock = clock;
            _metrics = tracker.Metrics;
            _reps = tracker.Reps;
            _monitor = tracker.Monitor;
            _events = tracker.Events;
            _cues = tracker.Cues;
            _segmentOrientations = tracker.SegmentOrientations;
        }

        /// <summary>Lockstep samples processed since boot.</summary>
        public int Samples;

        /// <summary>Optional: sees every lockstep sample before it is processed (recording raw data, tests).</summary>
        public ISampleTap? Tap;

        /// <summary>Puts the calibration kept on flash in force (boot).</summary>
        public void RestoreCalibration()
        {
            var cal = new BodyCalibration();
            if (_calibrationStore.Load(cal)) _tracker.ApplyCalibration(cal);
        }

        public void OnSample(SensorFrame frame)
        {
            Samples++;
            if (Tap != null) Tap.OnSample(frame);
            // Every sample is decided on (alignment, reps); the complete metrics that recording
            // and the live stream carry come every ReportIntervalS (see TrackerSettings).
            bool reported = _tracker.Update(frame);

            // Each result is looked for through a field first: the calls that take them nearly
            // always find nothing, and each is a call (≈ 700 instructions) on the interpreter.
            CalibrationReport report;
            if (_tracker.CalibrationReportWaiting && _tracker.TakeCalibrationReport(out report)) OnCalibration(report);

            if (_events.Count != 0)
            {
                while (_events.TryDequeue(_event)) OnAlignment(_event);
            }

            if (_cues.Count != 0)
            {
                while (_cues.TryDequeue(_cue)) OnCue(_cue);
            }

            if (_tracker.RepReported) _recording.TakeRep(_reps);

            if (!reported) return;
            int n = ++_reportCount;
            _recording.OnReport(_metrics, n);
            if (_link.LiveSubscribed && _link.Connected && n % _configuration.LiveEvery == 0) SendLive();
        }

        /// <summary>Sensors that became usable or stopped being usable (a bit per segment, from <see cref="LockstepSampler.Service"/>).</summary>
        public void OnSensorsChanged(int changed)
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((changed & (1 << i)) == 0) continue;
                SensorChannel ch = _sampler.Channel(i);
                if (!ch.IsOk) _alerts.OnSensorLost(_clock.NowUs);
                SensorState state = SensorStates.Of(ch.Health);
                _recording.AddEvent(SessionEventKind.SensorHealth, _tracker.TimeS, i, (int)state, 0);
                _hostEvents.SensorHealth(i, state);
            }
        }

        private void OnAlignment(AlignmentEvent e)
        {
            _alerts.OnAlignment(e, _clock.NowUs);
            _recording.AddEvent(SessionEventKind.Alignment, e.TimeS, (int)e.Kind, (int)e.Fault, (int)(e.PeakDeg * 100f));
            _hostEvents.Alignment(e, _clock.NowMs);
        }

        private void OnCue(CoachingCueEvent e)
        {
            _alerts.OnCue(e, _clock.NowUs);
            _recording.AddEvent(SessionEventKind.Cue, e.TimeS, (int)e.Cue, e.Rep & 0xFF, (int)(e.Value * 100f));
            _hostEvents.Cue(e, _clock.NowMs);
        }

        private void OnCalibration(CalibrationReport r)
        {
            bool ok = r.Status == CalibrationStatus.Ok;
            _alerts.OnCalibration(ok, _clock.NowUs);
            _recording.AddEvent(SessionEventKind.Calibration, _tracker.TimeS, (int)r.Step, (int)r.Status, 0);
            BodyCalibration cal = _tracker.Calibration;
            if (ok) _calibrationStore.Save(cal);
            _hostEvents.CalibrationDone(r, cal.RangeTrunkFlexionDeg);
        }

        private void SendLive()
        {
            LiveSample f = _liveSample;
            PostureMetrics m = _metrics;
            f.Sequence = _live.NextSequence();
            f.TimeMs = _clock.NowMs;
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
            _live.Add(f, _clock.NowUs);
        }
    }
}
