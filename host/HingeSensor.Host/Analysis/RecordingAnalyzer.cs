using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Host.Recording;

namespace HingeSensor.Host.Analysis
{
    /// <summary>
    /// Runs a raw recording through the same per-sample pipeline the device runs
    /// (<see cref="PostureTracker"/>), calibrating from the recording's marked windows or, when
    /// they are absent, the way the device does: neutral at the first stillness, then the first
    /// hinge down and back up. Streams: memory does not grow with the recording's length.
    /// </summary>
    public sealed class RecordingAnalyzer
    {
        private static readonly string[] SensorNames = { "head", "upper", "sacrum" };
        private static readonly string[] SampleColumns =
        {
            "t_s", "head_sag_deg", "head_lat_deg", "upper_sag_deg", "upper_lat_deg", "sacrum_sag_deg", "sacrum_lat_deg",
            "trunk_flexion_deg", "head_flexion_deg", "hinge_deg", "torso_deg", "dowel_gap_cm", "phase", "faults", "valid",
        };

        private readonly TrackerSettings _settings;
        private readonly PostureTracker _tracker;
        private readonly SensorFrame _frame = new();
        private readonly List<CalibrationStepRecord> _calibration = new();
        private readonly AlertSpans _alerts = new();
        private readonly List<RepRecord> _reps = new();
        private readonly ActivitySpans _activity = new();
        private readonly List<CueRecord> _cues = new();
        private readonly CoachingCueEvent _cue = new();
        private readonly StillnessScan _stillness;
        private readonly Vector3[] _rates = new Vector3[3];
        private double _t0 = double.NaN;

        public RecordingAnalyzer(TrackerSettings settings)
        {
            _settings = settings;
            _tracker = new PostureTracker(settings);
            _stillness = new StillnessScan(settings.Calibration);
        }

        public PostureTracker Tracker => _tracker;

        /// <summary>Called after every sample with its absolute time and the tracker (e.g. to keep frames for the database).</summary>
        public Action<double, PostureTracker>? SampleProcessed { get; set; }

        /// <summary>
        /// Analyses a whole recording; per-sample metrics go to <paramref name="samplesCsv"/> when
        /// given. Calibration windows given here (the user's --neutral, --hinge) stand in for the
        /// recording's own.
        /// </summary>
        public static AnalysisResult Analyze(string inputPath, TrackerSettings? settings = null, Stream? samplesCsv = null,
            Action<double, PostureTracker>? sampleProcessed = null, TimeWindow? neutral = null, TimeWindow? hinge = null)
        {
            var reader = new RawCsvReader(inputPath);
            if (neutral != null) reader.Metadata.Neutral = neutral;
            if (hinge != null) reader.Metadata.HingeCalibration = hinge;
            settings ??= new TrackerSettings();
            if (reader.Metadata.HeightCm is double h) settings.Body = new BodyDimensions((float)h);
            var analyzer = new RecordingAnalyzer(settings) { SampleProcessed = sampleProcessed };
            return analyzer.Run(reader, inputPath, samplesCsv);
        }

        public AnalysisResult Run(RawCsvReader reader, string inputName, Stream? samplesCsv)
        {
            RawMetadata meta = reader.Metadata;
            var plan = new CalibrationPlan(meta);
            using CsvWriter? samples = samplesCsv != null ? CsvWriter.Create(samplesCsv, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true) : null;
            samples?.WriteHeader(SampleColumns);
            long n = 0;
            double lastT = 0;
            foreach (RawRow row in reader.Rows())
            {
                if (double.IsNaN(_t0)) _t0 = row.TimeS;
                plan.BeforeSample(_tracker, row.TimeS);
                _frame.TimeUs = (long)Math.Round(row.TimeS * 1e6);
                for (int s = 0; s < 3; s++)
                {
                    ImuSample x = _frame.Samples[s];
                    x.Set(row.Gyro[s], row.Accel[s]);
                    x.AccelClipped = row.AccelClipped[s];
                    x.GyroClipped = row.GyroClipped[s];
                    x.Present = true;
                }
                bool decided = _tracker.Update(_frame);
                for (int s = 0; s < 3; s++) _rates[s] = row.Gyro[s] - _tracker.Filter(s).GyroBias;
                _stillness.Add(row.TimeS, row.Accel, _rates);
                // Before the plan may start the next capture: starting one clears the tracker's
                // one report, and a capture that ended in this sample has not been read yet.
                Drain();
                plan.AfterSample(_tracker, row.TimeS);
                _activity.Add(_tracker.Activity, row.TimeS);
                // Complete metrics only when the tracker reported (every ReportIntervalS, as on the device).
                if (samples != null && decided) WriteSample(samples, row.TimeS);
                SampleProcessed?.Invoke(row.TimeS, _tracker);
                lastT = row.TimeS;
                n++;
            }
            plan.Finish(_tracker);
            _tracker.Reps.Flush(); // a last rep still in its lockout window when the recording ended
            Drain();
            return new AnalysisResult
            {
                Input = inputName,
                DurationS = Math.Round(lastT - _t0, 4),
                Samples = n,
                Calibrated = _tracker.Calibration.IsComplete,
                FirstS = _t0,
                Stillest = _stillness.Stillest,
                Calibration = _calibration,
                Alerts = _alerts.Finish(Math.Round(lastT, 4)),
                Reps = _reps,
                Activity = _activity.Finish(Math.Round(lastT, 4)),
                Cues = _cues,
                CountedReps = _tracker.Reps.Count,
                Config = Config(plan),
            };
        }

        private double Abs(float trackerTimeS) => Math.Round(_t0 + trackerTimeS, 4);

        private void Drain()
        {
            if (_tracker.TakeCalibrationReport(out CalibrationReport report)) _calibration.Add(StepRecord(report));
            var e = new AlignmentEvent();
            while (_tracker.Events.TryDequeue(e)) _alerts.Add(e.Kind, e.Fault, Abs(e.OnsetS), Abs(e.TimeS), e.PeakDeg);
            var rep = new Rep();
            if (_tracker.Reps.TakeCompleted(rep))
            {
                var faults = new List<string>();
                foreach (Fault f in new[] { Fault.BackRounding, Fault.ChinDrop, Fault.HeadUp })
                    if (Faults.Has(rep.FaultMask, f)) faults.Add(Faults.Name(f));
                _reps.Add(new RepRecord(rep.Number, rep.Counted, Abs(rep.StartS), Abs(rep.EndS), R(rep.DepthDeg), R(rep.DescentS), R(rep.BottomS), R(rep.AscentS),
                    R(rep.MaxTrunkFlexionDeg), R(rep.MaxHeadFlexionDeg), R(rep.MinHeadFlexionDeg), R(rep.MaxHingeAngleDeg), faults)
                {
                    Pattern = RepPatterns.Name(rep.Pattern),
                    DepthReached = rep.DepthReached,
                    Lockout = Lockouts.Name(rep.Lockout),
                    PelvisShare = Math.Round(rep.PelvisShare, 3),
                    LeadShare = Math.Round(rep.LeadShare, 3),
                    SacrumDropCm = Math.Round(rep.SacrumDropCm, 1),
                });
            }
            while (_tracker.Cues.TryDequeue(_cue)) _cues.Add(new CueRecord(Abs(_cue.TimeS), CoachingCues.Name(_cue.Cue), _cue.Rep, R(_cue.Value)));
        }

        private static double R(float v) => float.IsNaN(v) ? double.NaN : Math.Round(v, 2);

        private CalibrationStepRecord StepRecord(CalibrationReport r)
        {
            var sensors = new List<SensorQuality>();
            for (int i = 0; i < 3; i++)
            {
                SegmentCalibration c = _tracker.Calibration.Segments[i];
                sensors.Add(new SensorQuality(SensorNames[i], StatusName(r.SegmentStatus[i]), Math.Round(r.SegmentQuality[i], 3),
                    Math.Round(c.NeutralSpreadDeg, 3), Math.Round(c.HingePlanarity, 4), Math.Round(c.HingeAxisTiltDeg, 2), Math.Round(c.HingeAmplitudeDeg, 1)));
            }
            string step = r.Step switch { CalibrationStep.Neutral => "neutral", CalibrationStep.Hinge => "hinge", CalibrationStep.Range => "range", _ => "none" };
            double? range = r.Step == CalibrationStep.Range && r.Status == CalibrationStatus.Ok ? Math.Round(_tracker.Calibration.RangeTrunkFlexionDeg, 2) : null;
            return new CalibrationStepRecord(step, StatusName(r.Status), CalibrationStatusText.Describe(r.Status), Abs(r.StartS), Abs(r.EndS), sensors, range);
        }

        public static string StatusName(CalibrationStatus s) => s switch
        {
            CalibrationStatus.Ok => "ok",
            CalibrationStatus.NotEnoughData => "not_enough_data",
            CalibrationStatus.MovedDuringNeutral => "moved_during_neutral",
            CalibrationStatus.TwistedNotHinged => "twisted_not_hinged",
            CalibrationStatus.NotASingleAxis => "not_a_single_axis",
            CalibrationStatus.HingeTooShallow => "hinge_too_shallow",
            CalibrationStatus.NeedsNeutral => "needs_neutral",
            CalibrationStatus.RangeTooShallow => "range_too_shallow",
            CalibrationStatus.SensorMissing => "sensor_missing",
            CalibrationStatus.NeedsHinge => "needs_hinge",
            _ => "unknown",
        };

        private void WriteSample(CsvWriter w, double t)
        {
            PostureMetrics m = _tracker.Metrics;
            w.WriteField(t, "0.#####", CultureInfo.InvariantCulture);
            foreach (float v in new[] { m.HeadSagittalDeg, m.HeadLateralDeg, m.UpperBackSagittalDeg, m.UpperBackLateralDeg, m.SacrumSagittalDeg, m.SacrumLateralDeg,
                m.TrunkFlexionDeg, m.HeadFlexionDeg, m.HingeAngleDeg, m.TorsoAngleDeg, m.DowelGapCm })
                w.WriteField(v, "0.###", CultureInfo.InvariantCulture);
            w.WriteField((int)_tracker.Reps.Phase, "", CultureInfo.InvariantCulture);
            w.WriteField(_tracker.Monitor.ActiveMask, "", CultureInfo.InvariantCulture);
            w.WriteField(m.ValidSegments, "", CultureInfo.InvariantCulture);
            w.EndRecord();
        }

        private AnalysisConfig Config(CalibrationPlan plan)
        {
            AlignmentSettings a = _settings.Alignment;
            return new AnalysisConfig
            {
                CalibrationSource = plan.Source,
                NeutralWindow = plan.NeutralWindow,
                HingeWindow = plan.HingeWindow,
                RangeWindow = plan.RangeWindow,
                HeightCm = _settings.Body.HeightCm,
                ThresholdsDeg = new Dictionary<string, double>
                {
                    ["back_rounding"] = _tracker.Monitor.ThresholdDeg(Fault.BackRounding),
                    ["chin_drop"] = a.ChinDropDeg,
                    ["head_up"] = a.HeadUpDeg,
                },
                UseRangePercent = a.UseRangePercent,
                BackRoundingPercent = a.BackRoundingPercent,
                PersistenceS = a.PersistenceS,
                HysteresisDeg = a.HysteresisDeg,
                ClearHoldS = a.ClearHoldS,
                GateOpenTorsoDeg = a.GateOpenTorsoDeg,
                GateCloseTorsoDeg = a.GateCloseTorsoDeg,
                AlwaysOn = a.AlwaysOn,
                ReminderIntervalS = a.ReminderIntervalS,
                CooldownS = a.CooldownS,
                MinRepDepthDeg = _settings.Reps.MinDepthDeg,
                StandingDeg = _settings.Reps.StandingDeg,
                RepStartDeg = _settings.Reps.StartDeg,
            };
        }
    }
}
