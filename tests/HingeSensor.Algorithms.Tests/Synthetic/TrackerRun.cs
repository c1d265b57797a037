using System.Collections.Generic;
using HingeSensor.Algorithms.Activity;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>Feeds frames to a <see cref="PostureTracker"/>, running the calibration windows of <see cref="Timeline.AddCalibration"/>.</summary>
    public sealed class TrackerRun
    {
        public readonly PostureTracker Tracker;
        public readonly List<PostureMetrics> Metrics = new();

        /// <summary>The complete metrics (lateral tilts and dowel gap too), as of each report.</summary>
        public readonly List<PostureMetrics> Reported = new();
        public readonly List<AlignmentEvent> Events = new();
        public readonly List<Rep> Reps = new();
        public readonly List<CoachingCueEvent> Cues = new();

        /// <summary>Per sample: its time, the activity, whether seated, and whether the hinge gate was open.</summary>
        public readonly List<(double T, ActivityKind Kind, bool Seated, bool Gate)> Activity = new();
        public readonly List<CalibrationReport> Reports = new();

        public TrackerRun(TrackerSettings? settings = null) { Tracker = new PostureTracker(settings ?? new TrackerSettings()); }

        public static TrackerRun Run(IEnumerable<SensorFrame> frames, TrackerSettings? settings = null, bool calibrate = true)
        {
            var run = new TrackerRun(settings);
            run.Feed(frames, calibrate);
            return run;
        }

        public void Feed(IEnumerable<SensorFrame> frames, bool calibrate = true)
        {
            foreach (SensorFrame f in frames)
            {
                double t = f.TimeUs * 1e-6;
                if (calibrate) Calibrate(t);
                bool reported = Tracker.Update(f);
                Metrics.Add(Tracker.Metrics.Clone());
                if (reported) Reported.Add(Tracker.Metrics.Clone());
                var e = new AlignmentEvent();
                while (Tracker.Events.TryDequeue(e))
                {
                    Events.Add(e);
                    e = new AlignmentEvent();
                }
                var r = new Rep();
                if (Tracker.Reps.TakeCompleted(r)) Reps.Add(r);
                var c = new CoachingCueEvent();
                while (Tracker.Cues.TryDequeue(c))
                {
                    Cues.Add(c);
                    c = new CoachingCueEvent();
                }
                Activity.Add((t, Tracker.Activity, Tracker.ActivityContext.Seated, Tracker.Monitor.GateOpen));
            }
        }

        /// <summary>Reports a rep still in its lockout window (the end of the stream).</summary>
        public void Flush()
        {
            var r = new Rep();
            if (Tracker.Reps.Flush() && Tracker.Reps.TakeCompleted(r)) Reps.Add(r);
        }

        private CalibrationStep _done;

        private void Calibrate(double t)
        {
            if (_done == CalibrationStep.None && Tracker.Capturing == CalibrationStep.None && t >= Timeline.NeutralStart + 0.5)
            {
                Tracker.BeginCalibration(CalibrationStep.Neutral, 0);
                _done = CalibrationStep.Neutral;
            }
            else if (_done == CalibrationStep.Neutral && t >= Timeline.NeutralEnd)
            {
                Reports.Add(Copy(Tracker.EndCalibration()));
                Tracker.BeginCalibration(CalibrationStep.Hinge, 0);
                _done = CalibrationStep.Hinge;
            }
            else if (_done == CalibrationStep.Hinge && t >= Timeline.HingeEnd)
            {
                Reports.Add(Copy(Tracker.EndCalibration()));
                _done = CalibrationStep.Range; // nothing more
            }
        }

        private static CalibrationReport Copy(CalibrationReport r)
        {
            var c = new CalibrationReport();
            c.Clear(r.Step, r.StartS);
            c.Status = r.Status;
            c.FailedSegment = r.FailedSegment;
            c.EndS = r.EndS;
            for (int i = 0; i < 3; i++)
            {
                c.SegmentStatus[i] = r.SegmentStatus[i];
                c.SegmentQuality[i] = r.SegmentQuality[i];
            }
            return c;
        }
    }
}
