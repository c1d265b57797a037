using System;
using System.Collections.Generic;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>The metrics must not depend on how the straps sit nor on any sensor's heading.</summary>
    public class InvarianceTests
    {
        // Calibration, then hinges with rounding, a chin drop, lateral lean and head turns.
        private static Timeline Workout()
        {
            var t = new Timeline().AddCalibration();
            for (int rep = 0; rep < 4; rep++)
            {
                double depth = 70 + 8 * rep;
                t.Add(4.5, s =>
                {
                    double a = Timeline.UpDown(s, 1.8, 0.7, 2.0);
                    double round = rep % 2 == 1 ? 25 * Timeline.Ramp(s, 0.9, 2.0) * (s < 2.5 ? 1 : a) : 3 * a;
                    double chin = rep == 2 ? 22 * Timeline.Ramp(s, 1.8, 2.3) * (s < 2.5 ? 1 : a) : 0;
                    double sacrum = depth * 0.7 * a;
                    double upper = sacrum + depth * 0.3 * a + round;
                    return new Pose
                    {
                        SacrumSag = sacrum, UpperSag = upper, HeadSag = upper + chin - 5 * a,
                        SacrumLat = 4 * Math.Sin(s), UpperLat = 8 * Math.Sin(1.3 * s), HeadLat = 10 * Math.Sin(2 * s),
                        HeadHeading = 25 * Math.Sin(1.7 * s),
                    };
                });
                t.Hold(1.5, default);
            }
            return t;
        }

        private static double SegmentAngleError(PostureMetrics m, Pose p)
        {
            double e = 0;
            e = Math.Max(e, Math.Abs(m.HeadSagittalDeg - p.HeadSag));
            e = Math.Max(e, Math.Abs(m.UpperBackSagittalDeg - p.UpperSag));
            e = Math.Max(e, Math.Abs(m.SacrumSagittalDeg - p.SacrumSag));
            e = Math.Max(e, Math.Abs(m.HeadLateralDeg - p.HeadLat));
            e = Math.Max(e, Math.Abs(m.UpperBackLateralDeg - p.UpperLat));
            e = Math.Max(e, Math.Abs(m.SacrumLateralDeg - p.SacrumLat));
            return e;
        }

        [Fact]
        public void Fifty_random_mountings_give_the_same_segment_angles_within_one_degree()
        {
            Timeline workout = Workout();
            var rng = new Random(42);
            List<PostureMetrics>? reference = null;
            for (int i = 0; i < 50; i++)
            {
                var mount = new[] { SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng) };
                var imu = new SyntheticImu(mount, seed: i) { GyroNoiseDps = 0.1, AccelNoise = 0.03 };
                TrackerRun run = TrackerRun.Run(imu.Generate(workout.At, 0, workout.Duration));
                Assert.All(run.Reports, r => Assert.Equal(CalibrationStatus.Ok, r.Status));
                // The lateral tilts are complete at the reports (every 40 ms), so compare there.
                var after = run.Reported.Where(m => m.TimeS > Timeline.HingeEnd + 0.1f).ToList();
                double worstTruth = after.Max(m => SegmentAngleError(m, workout.At(m.TimeS)));
                Assert.True(worstTruth < 1.0, $"mounting {i}: segment angles off the truth by {worstTruth:0.00}°");
                if (reference == null) { reference = after; continue; }
                double worstPair = 0;
                for (int k = 0; k < after.Count; k++)
                {
                    Pose asPose = new Pose
                    {
                        HeadSag = reference[k].HeadSagittalDeg, UpperSag = reference[k].UpperBackSagittalDeg, SacrumSag = reference[k].SacrumSagittalDeg,
                        HeadLat = reference[k].HeadLateralDeg, UpperLat = reference[k].UpperBackLateralDeg, SacrumLat = reference[k].SacrumLateralDeg,
                    };
                    worstPair = Math.Max(worstPair, SegmentAngleError(after[k], asPose));
                }
                Assert.True(worstPair < 1.0, $"mounting {i} differs from mounting 0 by {worstPair:0.00}°");
            }
        }

        [Fact]
        public void Heading_rotations_of_the_orientation_estimates_change_no_metric()
        {
            // Exactly what heading drift does to a 6-D estimate: a rotation about the vertical.
            var rng = new Random(8);
            var calibration = new BodyCalibration();
            for (int s = 0; s < 3; s++)
            {
                calibration.Segments[s].SegmentToSensor = SyntheticImu.RandomRotation(rng);
                calibration.Segments[s].HasNeutral = calibration.Segments[s].HasHinge = true;
            }
            var calc = new PostureCalculator(calibration, new BodyDimensions());
            for (int i = 0; i < 500; i++)
            {
                var q = new Quaternion[3];
                var drifted = new Quaternion[3];
                for (int s = 0; s < 3; s++)
                {
                    q[s] = SyntheticImu.RandomRotation(rng);
                    drifted[s] = Quaternion.FromAxisAngle(Vector3.UnitZ, (float)(rng.NextDouble() * 2 * Math.PI)) * q[s];
                }
                var a = new PostureMetrics();
                var b = new PostureMetrics();
                calc.Compute(q, 7, 0, a);
                calc.Compute(drifted, 7, 0, b);
                Assert.True(Math.Abs(a.TrunkFlexionDeg - b.TrunkFlexionDeg) < 0.5f);
                Assert.True(Math.Abs(a.HeadFlexionDeg - b.HeadFlexionDeg) < 0.5f);
                Assert.True(Math.Abs(a.TorsoAngleDeg - b.TorsoAngleDeg) < 0.5f);
                Assert.True(Math.Abs(a.HingeAngleDeg - b.HingeAngleDeg) < 0.5f);
                Assert.True(Math.Abs(a.DowelGapCm - b.DowelGapCm) < 0.5f);
                Assert.True(Math.Abs(a.HeadLateralDeg - b.HeadLateralDeg) < 0.5f);
            }
        }

        [Fact]
        public void Independent_heading_drift_per_sensor_changes_no_metric_by_more_than_half_a_degree()
        {
            // Through the whole pipeline: each sensor turns about the vertical at its own rate
            // (what an uncorrected heading drift looks like, but in the data itself).
            Timeline workout = Workout();
            var mount = new[] { SyntheticImu.RandomRotation(new Random(1)), SyntheticImu.RandomRotation(new Random(2)), SyntheticImu.RandomRotation(new Random(3)) };
            double calEnd = Timeline.HingeEnd;
            Func<double, Pose> drifting = t =>
            {
                Pose p = workout.At(t);
                double after = Math.Max(0, t - calEnd);
                p.HeadHeading += 9 * after;
                p.UpperHeading -= 4 * after;
                p.SacrumHeading += 6 * after + 20 * Math.Sin(0.5 * after);
                return p;
            };
            TrackerRun plain = TrackerRun.Run(new SyntheticImu(mount, 5).Generate(workout.At, 0, workout.Duration));
            TrackerRun drifted = TrackerRun.Run(new SyntheticImu(mount, 5).Generate(drifting, 0, workout.Duration));
            double worst = 0;
            for (int k = 0; k < plain.Metrics.Count; k++)
            {
                PostureMetrics a = plain.Metrics[k], b = drifted.Metrics[k];
                worst = Math.Max(worst, Math.Abs(a.TrunkFlexionDeg - b.TrunkFlexionDeg));
                worst = Math.Max(worst, Math.Abs(a.HeadFlexionDeg - b.HeadFlexionDeg));
                worst = Math.Max(worst, Math.Abs(a.TorsoAngleDeg - b.TorsoAngleDeg));
                worst = Math.Max(worst, Math.Abs(a.HingeAngleDeg - b.HingeAngleDeg));
                worst = Math.Max(worst, Math.Abs(a.DowelGapCm - b.DowelGapCm));
                worst = Math.Max(worst, Math.Abs(a.HeadLateralDeg - b.HeadLateralDeg));
                worst = Math.Max(worst, Math.Abs(a.UpperBackLateralDeg - b.UpperBackLateralDeg));
                worst = Math.Max(worst, Math.Abs(a.SacrumLateralDeg - b.SacrumLateralDeg));
            }
            Assert.True(worst < 0.5, $"heading drift changed a metric by {worst:0.000}");
        }
    }
}
