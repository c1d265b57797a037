using System;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class RepDetectorTests
    {
        private static Pose Hinge(double s, double depth, double down, double hold, double up)
        {
            double a = Timeline.UpDown(s, down, hold, up);
            return new Pose { SacrumSag = 0.9 * depth * a, UpperSag = depth * a, HeadSag = depth * a };
        }

        // With a cosine ramp the torso is within 5° of a depth D after the fraction acos(1 − 2·(D−5)/D)/π of the ramp.
        private static double WithinBand(double ramp, double depth) => ramp * Math.Acos(1 - 2 * (depth - 5) / depth) / Math.PI;

        [Fact]
        public void Clean_reps_are_counted_with_their_depth_and_timing()
        {
            var tl = new Timeline().Hold(1, default);
            double[] depths = { 80, 90, 70, 85 };
            foreach (double d in depths) tl.Add(4, s => Hinge(s, d, 1.6, 0.4, 2.0)).Hold(1.5, default);
            MetricRun run = MetricRun.Run(tl);
            Assert.Equal(4, run.Reps.Count);
            for (int i = 0; i < 4; i++)
            {
                Rep r = run.Reps[i];
                double start = 1 + i * 5.5;
                Assert.True(r.Counted);
                Assert.Equal(i + 1, r.Number);
                Assert.Equal(depths[i], r.DepthDeg, 1);
                // The rep runs from the last standing sample (torso ≤ 12°) to the first one back.
                double up12 = 1.6 * Math.Acos(1 - 2 * 12 / depths[i]) / Math.PI;
                Assert.InRange(r.StartS, start + up12 - 0.02, start + up12 + 0.02);
                Assert.InRange(r.EndS, start + 4 - 2.0 * Math.Acos(1 - 2 * 12 / depths[i]) / Math.PI - 0.02, start + 4 - 2.0 * Math.Acos(1 - 2 * 12 / depths[i]) / Math.PI + 0.02);
                Assert.InRange(r.DescentS, WithinBand(1.6, depths[i]) - up12 - 0.03, WithinBand(1.6, depths[i]) - up12 + 0.03);
                Assert.InRange(r.BottomS, 0.4 + (1.6 - WithinBand(1.6, depths[i])) + (2.0 - WithinBand(2.0, depths[i])) - 0.03, 0.4 + (1.6 - WithinBand(1.6, depths[i])) + (2.0 - WithinBand(2.0, depths[i])) + 0.03);
                Assert.True(r.AscentS > 1.0 && r.AscentS < 2.0, $"ascent {r.AscentS}");
                Assert.Equal(0.1 * depths[i], r.MaxTrunkFlexionDeg, 1);
            }
            Assert.Equal(4, run.Detector.Count);
        }

        [Fact]
        public void A_pause_at_the_bottom_is_one_rep_with_its_bottom_time()
        {
            var tl = new Timeline().Hold(1, default).Add(7, s => Hinge(s, 85, 1.5, 4.0, 1.5)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Rep r = Assert.Single(run.Reps);
            Assert.True(r.Counted);
            Assert.InRange(r.BottomS, 4.0, 4.6);
        }

        [Fact]
        public void A_bounce_at_the_bottom_does_not_split_the_rep()
        {
            // Down to 85°, up to 70°, back down to 88°, then up: one rep.
            var tl = new Timeline().Hold(1, default)
                .Add(6, s =>
                {
                    double d = s < 1.5 ? 85 * Timeline.Ramp(s, 0, 1.5) : s < 2.5 ? 85 - 15 * Timeline.Ramp(s, 1.5, 2.0) + 18 * Timeline.Ramp(s, 2.0, 2.5) : 88 * (1 - Timeline.Ramp(s, 3.0, 5.0));
                    return new Pose { SacrumSag = 0.9 * d, UpperSag = d, HeadSag = d };
                }).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Rep r = Assert.Single(run.Reps);
            Assert.Equal(88, r.DepthDeg, 1);
        }

        [Fact]
        public void Partial_reps_are_reported_but_not_counted()
        {
            var tl = new Timeline().Hold(1, default)
                .Add(3, s => Hinge(s, 35, 1.2, 0.3, 1.2)).Hold(1, default)
                .Add(3.5, s => Hinge(s, 80, 1.5, 0.5, 1.5)).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Assert.Equal(2, run.Reps.Count);
            Assert.False(run.Reps[0].Counted);
            Assert.Equal(0, run.Reps[0].Number);
            Assert.Equal(35, run.Reps[0].DepthDeg, 1);
            Assert.True(run.Reps[1].Counted);
            Assert.Equal(1, run.Reps[1].Number);
            Assert.Equal(1, run.Detector.Count);
        }

        [Fact]
        public void Walking_swaying_and_noise_make_no_reps()
        {
            var rng = new Random(4);
            var tl = new Timeline().Add(60, s => new Pose
            {
                UpperSag = 5 * Math.Sin(2 * Math.PI * 0.9 * s) + 2 * SyntheticImu.Gauss(rng),
                SacrumSag = 4 * Math.Sin(2 * Math.PI * 1.8 * s) + 2 * SyntheticImu.Gauss(rng),
                HeadSag = 6 * Math.Sin(2 * Math.PI * 0.5 * s),
            });
            MetricRun run = MetricRun.Run(tl);
            Assert.Empty(run.Reps);
            Assert.Empty(run.Events);
        }

        [Fact]
        public void A_long_sustained_bend_is_not_a_rep()
        {
            var tl = new Timeline().Hold(1, default).Add(30, s => Hinge(s, 70, 1.5, 27, 1.5)).Hold(1, default);
            Assert.Empty(MetricRun.Run(tl).Reps);
        }

        [Fact]
        public void Faults_during_a_rep_are_in_its_summary_and_head_extremes_are_kept()
        {
            var tl = new Timeline().Hold(1, default).Add(3.5, s =>
            {
                Pose p = Hinge(s, 80, 1.5, 0.5, 1.5);
                p.HeadSag += 25 * Timeline.Ramp(s, 1.5, 1.7) * (1 - Timeline.Ramp(s, 1.9, 2.1)) - 14 * Timeline.Ramp(s, 2.2, 2.3) * (1 - Timeline.Ramp(s, 2.6, 2.7));
                return p;
            }).Hold(1, default);
            MetricRun run = MetricRun.Run(tl);
            Rep r = Assert.Single(run.Reps);
            Assert.True(Faults.Has(r.FaultMask, Fault.ChinDrop));
            Assert.True(Faults.Has(r.FaultMask, Fault.HeadUp));
            Assert.False(Faults.Has(r.FaultMask, Fault.BackRounding));
            Assert.Equal(25, r.MaxHeadFlexionDeg, 0);
            Assert.InRange(r.MinHeadFlexionDeg, -14.5f, -13f);
        }

        [Fact]
        public void Phases_go_standing_descending_bottom_ascending_standing()
        {
            var tl = new Timeline().Hold(1, default).Add(4, s => Hinge(s, 85, 1.5, 1.0, 1.5)).Hold(1, default);
            var calc = new HingeSensor.Algorithms.Posture.PostureCalculator(new HingeSensor.Algorithms.Calibration.BodyCalibration(), new HingeSensor.Algorithms.Posture.BodyDimensions());
            var det = new RepDetector(new RepSettings());
            var seen = new System.Collections.Generic.List<RepPhase>();
            for (int k = 0; k <= 600; k++)
            {
                Pose p = tl.At(k * 0.01);
                var m = new HingeSensor.Algorithms.Posture.PostureMetrics();
                calc.FromInclinations((float)p.HeadSag, (float)p.UpperSag, (float)p.SacrumSag, 7, k * 0.01f, m);
                det.Update(m, 0);
                if (seen.Count == 0 || seen[^1] != det.Phase) seen.Add(det.Phase);
            }
            Assert.Equal(new[] { RepPhase.Standing, RepPhase.Descending, RepPhase.Bottom, RepPhase.Ascending, RepPhase.Standing }, seen);
        }
    }
}
