using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Pipeline
{
    /// <summary>
    /// The per-sample path, the same on the device and on the host: three orientation filters →
    /// calibration captures → posture metrics → alignment decision → rep detection. Nothing in
    /// <see cref="Update"/> allocates; results are read from fields and drained from queues.
    /// </summary>
    public sealed class PostureTracker
    {
        private readonly TrackerSettings _settings;
        private readonly OrientationFilter[] _filters = new OrientationFilter[Segments.Count];
        private readonly long[] _lastSampleUs = new long[Segments.Count];
        private readonly BodyCalibration _calibration = new BodyCalibration();
        // The calibration a capture builds, put in force only when it passes. Allocated for the
        // capture (three segments, ≈ 1 KB of the device's heap the rest of the time).
        private BodyCalibration? _pending;
        private readonly NeutralCapture _neutral = new NeutralCapture();
        private readonly HingeCapture _hinge = new HingeCapture();
        // Only while a hinge is captured (see AccelBiasCapture).
        private AccelBiasCapture? _accelBias;
        private readonly RangeCapture _range = new RangeCapture();
        private readonly CalibrationReport _report = new CalibrationReport();
        private readonly PostureCalculator _calculator;
        private readonly AlignmentMonitor _monitor;
        private readonly RepDetector _reps;
        private readonly ActivityClassifier _activity;
        // Cues come at most a few per rep; whoever acts on them drains after every update.
        private readonly CoachingCueQueue _cues = new CoachingCueQueue(4);
        // Drained after every update by all who use the tracker; an update makes at most two events
        // a fault (a clear and a new start). Each slot is a heap object on the device.
        private readonly AlignmentEventQueue _events = new AlignmentEventQueue(8);

        private readonly PostureMetrics _metrics = new PostureMetrics();
        private CalibrationStep _capturing;
        private float _captureStartS;
        private float _captureMaxS;
        private bool _captureWentDown;
        private bool _started;
        private long _startUs;
        private long _nextReportUs;
        private readonly long _reportIntervalUs;
        private long _nextCorrectionUs;
        private readonly long _correctionIntervalUs;
        // Bit per filter that had an estimate at its last correction.
        private int _estimatedMask;
        private int _presentMask;

        public PostureTracker() : this(new TrackerSettings()) { }

        public PostureTracker(TrackerSettings settings)
        {
            _settings = settings;
            _reportIntervalUs = (long)(settings.ReportIntervalS * 1e6f + 0.5f);
            _correctionIntervalUs = (long)(settings.CorrectionIntervalS * 1e6f + 0.5f);
            for (int i = 0; i < Segments.Count; i++)
            {
                _filters[i] = new OrientationFilter(settings.Fusion);
                _lastSampleUs[i] = long.MinValue;
            }
            _calculator = new PostureCalculator(_calibration, settings.Body);
            _monitor = new AlignmentMonitor(settings.Alignment);
            _activity = new ActivityClassifier(settings.Activity);
            _reps = new RepDetector(settings.Reps, settings.Coaching, settings.Alignment, settings.Activity, _cues);
            _reps.Attach(_activity.Height.Raw, settings.CorrectionIntervalS);
        }

        public TrackerSettings Settings { get { return _settings; } }

        /// <summary>The calibration in force.</summary>
        public BodyCalibration Calibration { get { return _calibration; } }

        public AlignmentMonitor Monitor { get { return _monitor; } }
        public RepDetector Reps { get { return _reps; } }
        public AlignmentEventQueue Events { get { return _events; } }

        /// <summary>Coaching cues (depth, pattern, tempo, lockout): drain after every update.</summary>
        public CoachingCueQueue Cues { get { return _cues; } }

        /// <summary>What the wearer is doing, as of the last correction (25 Hz).</summary>
        public ActivityKind Activity { get { return _activity.Kind; } }

        /// <summary>The activity context: seated or not, the sacrum's height.</summary>
        public ActivityClassifier ActivityContext { get { return _activity; } }

        /// <summary>The metrics of the last sample: one object, overwritten by every sample (keep a <see cref="PostureMetrics.Clone"/>).</summary>
        public PostureMetrics Metrics { get { return _metrics; } }

        public OrientationFilter Filter(int segment) { return _filters[segment]; }

        /// <summary>
        /// Segment → Earth of each segment after the last decision, w, x, y, z per segment (a
        /// sensor's own orientation until its segment is calibrated): what the live stream sends.
        /// </summary>
        public float[] SegmentOrientations { get { return _calculator.SegmentToEarth; } }

        /// <summary>Sensor → Earth orientation of one sensor after its last sample (host: allocates on the device).</summary>
        public Quaternion Orientation(int segment) { return _filters[segment].Orientation; }

        /// <summary>Sensor → Earth orientation of one sensor after its last sample, scalar first.</summary>
        public void GetOrientation(int segment, out float w, out float x, out float y, out float z)
        {
            _filters[segment].GetOrientation(out w, out x, out y, out z);
        }

        /// <summary>Bit per sensor that delivered the last sample.</summary>
        public int PresentMask { get { return _presentMask; } }

        /// <summary>The capture under way, or None.</summary>
        public CalibrationStep Capturing { get { return _capturing; } }

        /// <summary>Seconds since the first sample.</summary>
        public float TimeS { get { return _metrics.TimeS; } }

        /// <summary>
        /// A finished capture's report is waiting for <see cref="TakeCalibrationReport"/>. A field
        /// the device reads at every sample before it calls (a call on its interpreter, nearly
        /// always for nothing); written only by the tracker.
        /// </summary>
        public bool CalibrationReportWaiting;

        /// <summary>
        /// The last <see cref="Update"/> reported a rep (<see cref="RepDetector.Update"/> returned
        /// true): whoever takes every rep after every update (the device) asks
        /// <see cref="RepDetector.TakeCompleted"/> only then, not with a call at every sample.
        /// </summary>
        public bool RepReported;

        /// <summary>The last finished capture's report, once: returns false when none is new.</summary>
        public bool TakeCalibrationReport(out CalibrationReport report)
        {
            report = _report;
            if (!CalibrationReportWaiting) return false;
            CalibrationReportWaiting = false;
            return true;
        }

        /// <summary>The last finished capture's report (whether or not taken).</summary>
        public CalibrationReport LastReport { get { return _report; } }

        /// <summary>Installs a calibration (restored from storage, or computed elsewhere).</summary>
        public void ApplyCalibration(BodyCalibration calibration)
        {
            _calibration.CopyFrom(calibration);
            for (int i = 0; i < Segments.Count; i++) _filters[i].SetAccelBias(_calibration.Segments[i].AccelBias);
            _calculator.Refresh();
            _monitor.SetRange(_calibration.HasRange, _calibration.RangeTrunkFlexionDeg);
            _monitor.Reset();
            _activity.Reset(); // angles over a new neutral: the context starts afresh
            _reps.ForgetOwnDepth(); // depths measured from the old neutral
        }

        /// <summary>
        /// Starts a capture. With <paramref name="maxDurationS"/> &gt; 0 it ends by itself: neutral
        /// after that time, hinge and range once the wearer has gone down and come back up (or at
        /// that time). With 0 only <see cref="EndCalibration"/> ends it (windows known in advance).
        /// </summary>
        public void BeginCalibration(CalibrationStep step, float maxDurationS)
        {
            _capturing = step;
            _captureStartS = _metrics.TimeS;
            _captureMaxS = maxDurationS;
            _captureWentDown = false;
            _neutral.Reset();
            _hinge.Reset();
            _accelBias = step == CalibrationStep.Hinge ? new AccelBiasCapture() : null;
            _range.Reset();
            _pending = new BodyCalibration();
            _pending.CopyFrom(_calibration);
            _report.Clear(step, _captureStartS);
        }

        /// <summary>Ends the capture under way, judges it, and applies it when it passed.</summary>
        public CalibrationReport EndCalibration()
        {
            CalibrationStep step = _capturing;
            _capturing = CalibrationStep.None;
            _report.Step = step;
            _report.EndS = _metrics.TimeS;
            BodyCalibration? pending = _pending;
            if (pending != null)
            {
                if (step == CalibrationStep.Neutral) FinishNeutral(pending);
                else if (step == CalibrationStep.Hinge) FinishHinge(pending);
                else if (step == CalibrationStep.Range) FinishRange(pending);
            }
            _pending = null;
            _accelBias = null;
            CalibrationReportWaiting = step != CalibrationStep.None;
            return _report;
        }

        /// <summary>
        /// Processes one lockstep sample of the three sensors. Every sample is integrated and
        /// decided on (sagittal metrics, alignment, reps); every
        /// <see cref="TrackerSettings.CorrectionIntervalS"/> the filters are corrected towards
        /// gravity; every <see cref="TrackerSettings.ReportIntervalS"/> the metrics are completed
        /// (lateral tilts, dowel gap) for what is reported. Returns true when that happened.
        /// </summary>
        public bool Update(SensorFrame frame)
        {
            long now = frame.TimeUs;
            if (!_started)
            {
                _started = true;
                _startUs = now;
                _nextReportUs = now;
                _nextCorrectionUs = now;
            }
            ImuSample[] samples = frame.Samples;
            int present = 0;
            for (int i = 0; i < Segments.Count; i++)
            {
                ImuSample s = samples[i];
                if (!s.Present) continue;
                OrientationFilter f = _filters[i];
                long last = _lastSampleUs[i];
                _lastSampleUs[i] = now;
                float dt = 1f; // the first sample only initialises the filter; its dt is unused
                if (last != long.MinValue)
                {
                    dt = (now - last) * 1e-6f;
                    if (dt > _settings.SensorGapResetS) f.Reset();
                }
                f.Integrate(s.GyroX, s.GyroY, s.GyroZ, s.AccelX, s.AccelY, s.AccelZ, dt, s.GyroClipped, s.AccelClipped);
                present |= 1 << i;
            }
            float t = (now - _startUs) * 1e-6f;
            bool corrected = now >= _nextCorrectionUs;
            if (corrected)
            {
                _nextCorrectionUs += _correctionIntervalUs;
                if (_nextCorrectionUs <= now) _nextCorrectionUs = now + _correctionIntervalUs; // fell behind (a gap): start afresh
                int estimated = 0;
                for (int i = 0; i < Segments.Count; i++)
                {
                    if (_filters[i].Correct()) estimated |= 1 << i;
                }
                _estimatedMask = estimated;
                if (_capturing != CalibrationStep.None) Capture(present & estimated);
            }
            present &= _estimatedMask;
            _presentMask = present;

            _calculator.Compute(_filters, present, t, _metrics);
            bool report = now >= _nextReportUs;
            if (report)
            {
                _nextReportUs += _reportIntervalUs;
                if (_nextReportUs <= now) _nextReportUs = now + _reportIntervalUs;
                _calculator.Detail(_metrics);
            }
            if (_capturing == CalibrationStep.Range) _range.Add(_metrics);

            if (_capturing == CalibrationStep.None)
            {
                // The activity context at the correction rate: it needs the sacrum's window-mean
                // acceleration, fresh only then, and changes over seconds; the gate's torso test
                // below still runs at every sample, so a hinge is gated without delay.
                if (corrected) Classify();
                int faults = _monitor.Update(_metrics, _events);
                RepReported = _reps.Update(_metrics, faults);
            }
            else
            {
                RepReported = false;
                CheckCaptureEnd(t);
            }
            return report;
        }

        private void Classify()
        {
            PostureMetrics m = _metrics;
            ActivityClassifier a = _activity;
            a.Update(m.TimeS, m.SacrumSagittalDeg, m.TorsoAngleDeg, m.HeadFlexionDeg, _filters[(int)Segment.Sacrum].VerticalSpecificForce(), m.ValidSegments);
            bool seated = a.Seated, crouched = a.Crouched;
            _monitor.SetContext(seated, crouched);
            _reps.SetContext(a.SacrumDropCm, seated, crouched);
        }

        // Calibration only: the allocations of the vector helpers do not matter here.
        private void Capture(int present)
        {
            if (_capturing == CalibrationStep.Range) return; // fed from the metrics
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((present & (1 << i)) == 0)
                {
                    if (_capturing == CalibrationStep.Neutral) _neutral.AddMissing(i);
                    else _hinge.AddMissing(i);
                    continue;
                }
                OrientationFilter f = _filters[i];
                Vector3 rate = f.LastRate - f.GyroBias;
                // Standing still, the accelerometer itself is the vertical: the direction the
                // filter settles on at rest, free of the drift the filter may still carry right
                // after power-on (before its first rest has pinned the gyro bias).
                if (_capturing == CalibrationStep.Neutral) _neutral.Add(i, f.LastAccel.Normalized(), rate);
                else
                {
                    _hinge.Add(i, Inclination.UpInSensor(f.Orientation), rate, _calibration.Segments[i].NeutralUp);
                    // The hip is below each sensor along its segment's neutral vertical.
                    if (_accelBias != null) _accelBias.Add(i, f, _calibration.Segments[i].NeutralUp, _settings.Body.HipToSensorM(i), _settings.CorrectionIntervalS);
                }
            }
        }

        private void CheckCaptureEnd(float t)
        {
            if (_captureMaxS <= 0f) return;
            float elapsed = t - _captureStartS;
            if (elapsed >= _captureMaxS)
            {
                EndCalibration();
                return;
            }
            if (_capturing == CalibrationStep.Neutral) return;
            // Hinge and range end by themselves once the wearer has gone down and come back.
            int u = (int)Segment.UpperBack;
            if (!_calibration.Segments[u].HasNeutral) return;
            float tilt = FloatMath.Acos(Vector3.Dot(Inclination.UpInSensor(_filters[u].Orientation), _calibration.Segments[u].NeutralUp)) * FloatMath.DegPerRad;
            if (tilt >= _settings.CaptureDownDeg) _captureWentDown = true;
            else if (_captureWentDown && tilt <= _settings.CaptureReturnDeg) EndCalibration();
        }

        private void FinishNeutral(BodyCalibration pending)
        {
            CalibrationSettings cs = _settings.Calibration;
            _neutral.SetDuration(_report.EndS - _report.StartS);
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration seg = pending.Segments[i];
                bool hadHinge = seg.HasHinge;
                Quaternion oldFrame = seg.SegmentToSensor;
                CalibrationStatus st = _neutral.Finish(i, cs, seg);
                if (st != CalibrationStatus.Ok)
                {
                    _report.Fail(i, st);
                    continue;
                }
                // A new neutral keeps the known mediolateral axis, re-squared to the new vertical,
                // so "stand tall and re-zero" works without repeating the hinge.
                if (hadHinge)
                {
                    Vector3 z = seg.NeutralUp;
                    Vector3 y = oldFrame.Rotate(Vector3.UnitY);
                    y = (y - z * Vector3.Dot(y, z)).Normalized();
                    seg.SegmentToSensor = Quaternion.FromBasis(Vector3.Cross(y, z), y, z);
                    seg.HasHinge = true;
                }
                _report.SegmentQuality[i] = seg.Quality(cs);
            }
            if (_report.Status != CalibrationStatus.Ok) return;
            pending.HasRange = false; // a range belongs to the neutral it was measured from
            if (Consistent(pending)) ApplyCalibration(pending);
        }

        private void FinishHinge(BodyCalibration pending)
        {
            CalibrationSettings cs = _settings.Calibration;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration seg = pending.Segments[i];
                if (cs.AccelBiasRidge >= 0f && seg.HasNeutral) RemoveAccelBias(i, seg, cs.AccelBiasRidge);
                CalibrationStatus st = _hinge.Finish(i, cs, seg);
                if (st != CalibrationStatus.Ok) _report.Fail(i, st);
                else _report.SegmentQuality[i] = seg.Quality(cs);
            }
            if (_report.Status != CalibrationStatus.Ok) return;
            if (Consistent(pending)) ApplyCalibration(pending);
        }

        // The offset the hinge showed on top of the one the filter removes: the neutral vertical,
        // captured with it, loses it too (the segment frame is built on that vertical next).
        private void RemoveAccelBias(int segment, SegmentCalibration seg, float ridge)
        {
            if (_accelBias == null) return;
            Vector3 extra = _accelBias.Solve(segment, ridge);
            Vector3 total = seg.AccelBias + extra;
            // More than a chip can be off by: the hinge shook too much to tell. The angles stay as
            // they were without it rather than take a wrong offset (the capture itself is judged
            // on its own terms next).
            if (!total.IsFinite || total.Length > CalibrationCheck.MaxAccelBias) return;
            seg.AccelBias = total;
            seg.NeutralUp = (seg.NeutralUp * StandardGravity - extra).Normalized();
        }

        private const float StandardGravity = 9.80665f;

        private void FinishRange(BodyCalibration pending)
        {
            if (!_calibration.IsComplete)
            {
                _report.Fail(-1, CalibrationStatus.NeedsHinge);
                return;
            }
            CalibrationStatus st = _range.Finish(_settings.Calibration, pending);
            if (st != CalibrationStatus.Ok)
            {
                _report.Fail(-1, st);
                return;
            }
            if (Consistent(pending)) ApplyCalibration(pending);
        }

        // A result that would give impossible angles is refused, never put in force as "ok".
        private bool Consistent(BodyCalibration pending)
        {
            int segment;
            CalibrationStatus st = CalibrationCheck.Check(pending, out segment);
            if (st == CalibrationStatus.Ok) return true;
            _report.Fail(segment, st);
            return false;
        }
    }
}
