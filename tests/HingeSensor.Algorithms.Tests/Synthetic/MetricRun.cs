using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Reps;

namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>
    /// Drives the alignment monitor and the rep detector straight from known segment angles
    /// (no sensors, no fusion): the decision logic on its own.
    /// </summary>
    public sealed class MetricRun
    {
        public const double Dt = 0.01;

        public readonly List<PostureMetrics> Metrics = new();
        public readonly List<AlignmentEvent> Events = new();
        public readonly List<Rep> Reps = new();
        public AlignmentMonitor Monitor = null!;
        public RepDetector Detector = null!;

        public static MetricRun Run(Timeline timeline, AlignmentSettings? alignment = null, RepSettings? reps = null,
            Func<double, int>? validMask = null, BodyCalibration? calibration = null)
        {
            var run = new MetricRun();
            var calc = new PostureCalculator(calibration ?? new BodyCalibration(), new BodyDimensions());
            run.Monitor = new AlignmentMonitor(alignment ?? new AlignmentSettings());
            if (calibration != null) run.Monitor.SetRange(calibration.HasRange, calibration.RangeTrunkFlexionDeg);
            run.Detector = new RepDetector(reps ?? new RepSettings());
            var queue = new AlignmentEventQueue();
            int n = (int)Math.Round(timeline.Duration / Dt);
            for (int k = 0; k <= n; k++)
            {
                double t = k * Dt;
                Pose p = timeline.At(t);
                var m = new PostureMetrics();
                calc.FromInclinations((float)p.HeadSag, (float)p.UpperSag, (float)p.SacrumSag, validMask?.Invoke(t) ?? 7, (float)t, m);
                run.Monitor.Update(m, queue);
                run.Detector.Update(m, run.Monitor.ActiveMask);
                run.Metrics.Add(m);
                var e = new AlignmentEvent();
                while (queue.TryDequeue(e))
                {
                    run.Events.Add(e);
                    e = new AlignmentEvent();
                }
                var r = new Rep();
                if (run.Detector.TakeCompleted(r)) run.Reps.Add(r);
            }
            return run;
        }

        /// <summary>First time at or after <paramref name="from"/> that f(t) exceeds the level, by the same 100 Hz sampling.</summary>
        public static double FirstCrossing(Func<double, double> f, double level, double from = 0, double to = 1e9)
        {
            for (double t = Math.Round(from / Dt) * Dt; t <= to; t += Dt)
                if (f(t) > level) return t;
            return double.NaN;
        }
    }
}
