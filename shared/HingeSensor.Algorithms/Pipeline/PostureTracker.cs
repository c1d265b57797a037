using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
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
        private readonly Quaternion[] _orientations = new Quaternion[Segments.Count];
        private readonly long[] _lastSampleUs = new long[Segments.Count];
        private readonly BodyCalibration _calibration = new BodyCalibration();
        private readonly BodyCalibration _pending = new BodyCalibration();
        private readonly NeutralCapture _neutral = new NeutralCapture();
        private readonly HingeCapture _hinge = new HingeCapture();
        private readonly RangeCapture _range = new RangeCapture();
        private readonly CalibrationReport _report = new CalibrationReport();
        private readonly PostureCalculator _calculator;
        private readonly AlignmentMonitor _monitor;
        private readonly RepDetector _reps;
        private readonly AlignmentEventQueue _events = new AlignmentEventQueue(32);

        private PostureMetrics _metrics;
        private CalibrationStep _capturing;
        private float _captureStartS;
        private float _captureMaxS;
        private bool _captureWentDown;
        private bool _hasNewReport;
        private bool _started;
        private long _startUs;
        private int _presentMask;

        public PostureTracker() : this(new TrackerSettings()) { }

        public PostureTracker(TrackerSettings settings)
        {
            _settings = settings;
            for (int i = 0; i < Segments.Count; i++)
            {
                _filters[i] = new OrientationFilter(settings.Fusion);
                _orientations[i] = Quaternion.Identity;
                _lastSampleUs[i] = long.MinValue;
            }
            _calculator = new PostureCalculator(_calibration, settings.Body);
            _monitor = new AlignmentMonitor(settings.Alignment);
            _reps = new RepDetector(settings.Reps);
        }

        public TrackerSettings Settings { get { return _settings; } }

        /// <summary>The calibration in force.</summary>
        public BodyCalibration Calibration { get { return _calibration; } }

        public AlignmentMonitor Monitor { get { return _monitor; } }
        public RepDetector Reps { get { return _reps; } }
        public AlignmentEventQueue Events { get { return _events; } }

        /// <summary>The metrics of the last sample.</summary>
        public PostureMetrics Metrics { get { return _metrics; } }

        /// <summary>The metrics of the last sample, by reference (no copy).</summary>
        public void ReadMetrics(out PostureMetrics m) { m = _metrics; }

        public OrientationFilter Filter(int segment) { return _filters[segment]; }

        /// <summary>Sensor → Earth orientation of one sensor after the last sample.</summary>
        public Quaternion Orientation(int segment) { return _orientations[segment]; }

        /// <summary>Bit per sensor that delivered the last sample.</summary>
        public int PresentMask { get { return _presentMask; } }

        /// <summary>The capture under way, or None.</summary>
        public CalibrationStep Capturing { get { return _capturing; } }

        /// <summary>Seconds since the first sample.</summary>
        public float TimeS { get { return _metrics.TimeS; } }

        /// <summary>The last finished capture's report, once: returns false when none is new.</summary>
        public bool TakeCalibrationReport(out CalibrationReport report)
        {
            report = _report;
            if (!_hasNewReport) return false;
            _hasNewReport = false;
            return true;
        }

        /// <summary>The last finished capture's report (whether or not taken).</summary>
        public CalibrationReport LastReport { get { return _report; } }

        /// <summary>Installs a calibration (restored from storage, or computed elsewhere).</summary>
        public void ApplyCalibration(BodyCalibration calibration)
        {
            _calibration.CopyFrom(calibration);
            _monitor.SetRange(_calibration.HasRange, _calibration.RangeTrunkFlexionDeg);
            _monitor.Reset();
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
            _range.Reset();
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
            if (step == CalibrationStep.Neutral) FinishNeutral();
            else if (step == CalibrationStep.Hinge) FinishHinge();
            else if (step == CalibrationStep.Range) FinishRange();
            _hasNewReport = step != CalibrationStep.None;
            return _report;
        }

        /// <summary>Processes one lockstep sample of the three sensors.</summary>
        public void Update(SensorFrame frame)
        {
            if (!_started)
            {
                _started = true;
                _startUs = frame.TimeUs;
            }
            float t = (frame.TimeUs - _startUs) * 1e-6f;
            int present = 0;
            for (int i = 0; i < Segments.Count; i++)
            {
                if (!frame.Samples[i].Present)
                {
                    if (_capturing == CalibrationStep.Neutral) _neutral.AddMissing(i);
                    else if (_capturing == CalibrationStep.Hinge) _hinge.AddMissing(i);
                    continue;
                }
                if (UpdateFilter(i, ref frame.Samples[i], frame.TimeUs)) present |= 1 << i;
            }
            _presentMask = present;

            if (_capturing != CalibrationStep.None) Capture(frame, present, t);

            _calculator.Compute(_orientations, present, t, ref _metrics);
            if (_capturing == CalibrationStep.Range) _range.Add(ref _metrics);

            if (_capturing == CalibrationStep.None)
            {
                _monitor.Update(ref _metrics, _events);
                _reps.Update(ref _metrics, _monitor.ActiveMask);
            }
            else
            {
                CheckCaptureEnd(t);
            }
        }

        private bool UpdateFilter(int i, ref ImuSample s, long timeUs)
        {
            OrientationFilter f = _filters[i];
            long last = _lastSampleUs[i];
            float dt = last == long.MinValue ? 0f : (timeUs - last) * 1e-6f;
            if (last != long.MinValue && dt > _settings.SensorGapResetS) f.Reset();
            _lastSampleUs[i] = timeUs;
            f.Update(s.Gyro, s.Accel, f.IsInitialized ? dt : 1f, s.GyroClipped, s.AccelClipped);
            if (!f.IsInitialized) return false;
            _orientations[i] = f.Orientation;
            return true;
        }

        private void Capture(SensorFrame frame, int present, float t)
        {
            if (_capturing == CalibrationStep.Range) return; // fed from the metrics
            for (int i = 0; i < Segments.Count; i++)
            {
                if ((present & (1 << i)) == 0) continue;
                Vector3 rate = frame.Samples[i].Gyro - _filters[i].GyroBias;
                // Standing still, the accelerometer itself is the vertical: the direction the
                // filter settles on at rest, free of the drift the filter may still carry right
                // after power-on (before its first rest has pinned the gyro bias).
                if (_capturing == CalibrationStep.Neutral) _neutral.Add(i, frame.Samples[i].Accel.Normalized(), rate);
                else _hinge.Add(i, Inclination.UpInSensor(_orientations[i]), rate, _calibration.Segments[i].NeutralUp);
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
            float tilt = FloatMath.Acos(Vector3.Dot(Inclination.UpInSensor(_orientations[u]), _calibration.Segments[u].NeutralUp)) * FloatMath.DegPerRad;
            if (tilt >= _settings.CaptureDownDeg) _captureWentDown = true;
            else if (_captureWentDown && tilt <= _settings.CaptureReturnDeg) EndCalibration();
        }

        private void FinishNeutral()
        {
            CalibrationSettings cs = _settings.Calibration;
            _neutral.SetDuration(_report.EndS - _report.StartS);
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration seg = _pending.Segments[i];
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
            _pending.HasRange = false; // a range belongs to the neutral it was measured from
            if (Consistent()) ApplyCalibration(_pending);
        }

        private void FinishHinge()
        {
            CalibrationSettings cs = _settings.Calibration;
            for (int i = 0; i < Segments.Count; i++)
            {
                SegmentCalibration seg = _pending.Segments[i];
                CalibrationStatus st = _hinge.Finish(i, cs, seg);
                if (st != CalibrationStatus.Ok) _report.Fail(i, st);
                else _report.SegmentQuality[i] = seg.Quality(cs);
            }
            if (_report.Status != CalibrationStatus.Ok) return;
            if (Consistent()) ApplyCalibration(_pending);
        }

        private void FinishRange()
        {
            if (!_calibration.IsComplete)
            {
                _report.Fail(-1, CalibrationStatus.NeedsHinge);
                return;
            }
            CalibrationStatus st = _range.Finish(_settings.Calibration, _pending);
            if (st != CalibrationStatus.Ok)
            {
                _report.Fail(-1, st);
                return;
            }
            if (Consistent()) ApplyCalibration(_pending);
        }

        // A result that would give impossible angles is refused, never put in force as "ok".
        private bool Consistent()
        {
            int segment;
            CalibrationStatus st = CalibrationCheck.Check(_pending, out segment);
            if (st == CalibrationStatus.Ok) return true;
            _report.Fail(segment, st);
            return false;
        }
    }
}
