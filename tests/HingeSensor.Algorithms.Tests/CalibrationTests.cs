using System;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class CalibrationTests
    {
        private static Quaternion[] RandomMountings(int seed)
        {
            var rng = new Random(seed);
            return new[] { SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng) };
        }

        [Fact]
        public void Neutral_and_hinge_recover_the_strap_rotation_for_any_mounting()
        {
            for (int seed = 0; seed < 20; seed++)
            {
                Quaternion[] mount = RandomMountings(seed);
                var imu = new SyntheticImu(mount, seed) { GyroNoiseDps = 0.05, AccelNoise = 0.02 };
                var timeline = new Timeline().AddCalibration();
                TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
                Assert.All(run.Reports, r => Assert.Equal(CalibrationStatus.Ok, r.Status));
                for (int s = 0; s < 3; s++)
                {
                    float err = Quaternion.AngleBetweenDeg(mount[s], run.Tracker.Calibration.Segments[s].SegmentToSensor);
                    Assert.True(err < 1.0f, $"seed {seed} segment {s}: mounting off by {err}°");
                    Assert.True(run.Reports[1].SegmentQuality[s] > 0.7f, $"quality {run.Reports[1].SegmentQuality[s]}");
                }
            }
        }

        [Fact]
        public void Upside_down_straps_calibrate_like_any_other()
        {
            // Each sensor rotated 180° about its forward axis (strap put on upside down), plus a twist.
            var flip = Quaternion.FromAxisAngle(Vector3.UnitX, MathF.PI);
            var twist = Quaternion.FromAxisAngle(Vector3.UnitZ, 0.7f);
            var mount = new[] { flip, flip * twist, twist * flip };
            var imu = new SyntheticImu(mount);
            var timeline = new Timeline().AddCalibration().Add(4, t => Pose.Straight(60 * Timeline.UpDown(t, 1.5, 0.5, 1.5)));
            TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
            Assert.All(run.Reports, r => Assert.Equal(CalibrationStatus.Ok, r.Status));
            float maxTorso = run.Metrics.Max(m => m.TorsoAngleDeg);
            Assert.InRange(maxTorso, 59f, 61f);
        }

        [Fact]
        public void Moving_during_neutral_is_rejected_with_a_reason()
        {
            var imu = new SyntheticImu(RandomMountings(1));
            // Swaying the trunk and nodding during what should be a still stance.
            var timeline = new Timeline().Add(3, t => new Pose { HeadSag = 15 * Math.Sin(4 * t), UpperSag = 6 * Math.Sin(3 * t), SacrumSag = 4 * Math.Sin(3 * t) })
                .Add(5, t => Pose.Straight(70 * Timeline.UpDown(t, 2.2, 0.3, 2.5))).Hold(2, default);
            TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
            Assert.Equal(CalibrationStatus.MovedDuringNeutral, run.Reports[0].Status);
            Assert.False(run.Tracker.Calibration.IsComplete);
        }

        [Fact]
        public void A_twist_instead_of_a_hinge_is_rejected_with_a_reason()
        {
            var imu = new SyntheticImu(RandomMountings(2));
            var timeline = new Timeline().Hold(3, default)
                .Add(5, t =>
                {
                    double a = 70 * Timeline.UpDown(t, 2.2, 0.3, 2.5);
                    return new Pose { HeadHeading = a, UpperHeading = a, SacrumHeading = a * 0.5, HeadSag = 3, UpperSag = 3, SacrumSag = 3 };
                }).Hold(2, default);
            TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
            Assert.Equal(CalibrationStatus.Ok, run.Reports[0].Status);
            Assert.True(run.Reports[1].Status == CalibrationStatus.TwistedNotHinged || run.Reports[1].Status == CalibrationStatus.HingeTooShallow,
                $"got {run.Reports[1].Status}");
            Assert.False(run.Tracker.Calibration.IsComplete);
        }

        [Fact]
        public void A_side_bend_instead_of_a_hinge_is_rejected()
        {
            // A side bend turns every sensor about one horizontal axis, just as a hinge does; what
            // gives it away is the pelvis, which barely tilts.
            var imu = new SyntheticImu(RandomMountings(3));
            var timeline = new Timeline().Hold(3, default)
                .Add(5, t =>
                {
                    double a = Timeline.UpDown(t, 2.2, 0.3, 2.5);
                    return new Pose { HeadLat = 40 * a, UpperLat = 35 * a, SacrumLat = 10 * a };
                }).Hold(2, default);
            TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
            Assert.Equal(CalibrationStatus.HingeTooShallow, run.Reports[1].Status);
            Assert.Equal(2, run.Reports[1].FailedSegment);
            Assert.False(run.Tracker.Calibration.IsComplete);
        }

        [Fact]
        public void A_shallow_hinge_is_rejected()
        {
            var imu = new SyntheticImu(RandomMountings(4));
            var timeline = new Timeline().Hold(3, default).Add(5, t => Pose.Straight(12 * Timeline.UpDown(t, 2.2, 0.3, 2.5))).Hold(2, default);
            TrackerRun run = TrackerRun.Run(imu.Generate(timeline.At, 0, timeline.Duration));
            Assert.Equal(CalibrationStatus.HingeTooShallow, run.Reports[1].Status);
            Assert.Contains("bend further forward", CalibrationStatusText.Describe(run.Reports[1].Status));
        }

        [Fact]
        public void Too_short_a_neutral_is_rejected()
        {
            var imu = new SyntheticImu(RandomMountings(5));
            var tracker = new PostureTracker();
            var frames = imu.Generate(_ => default, 0, 3).ToList();
            foreach (var f in frames.Take(50)) tracker.Update(f);
            tracker.BeginCalibration(CalibrationStep.Neutral, 0);
            foreach (var f in frames.Skip(50).Take(100)) tracker.Update(f); // 1 s
            Assert.Equal(CalibrationStatus.NotEnoughData, tracker.EndCalibration().Status);
        }

        [Fact]
        public void Range_calibration_sets_the_percentage_scale()
        {
            var imu = new SyntheticImu(RandomMountings(6));
            var timeline = new Timeline().AddCalibration()
                .Add(6, t =>
                {
                    double a = Timeline.UpDown(t, 2.5, 1, 2.5);
                    return new Pose { SacrumSag = 70 * a, UpperSag = 115 * a, HeadSag = 125 * a };
                });
            var run = new TrackerRun();
            var frames = imu.Generate(timeline.At, 0, timeline.Duration).ToList();
            run.Feed(frames.Where(f => f.TimeUs < 10_000_000));
            run.Tracker.BeginCalibration(CalibrationStep.Range, 0);
            run.Feed(frames.Where(f => f.TimeUs >= 10_000_000), calibrate: false);
            CalibrationReport report = run.Tracker.EndCalibration();
            Assert.Equal(CalibrationStatus.Ok, report.Status);
            Assert.True(run.Tracker.Calibration.HasRange);
            Assert.InRange(run.Tracker.Calibration.RangeTrunkFlexionDeg, 44f, 46f);
        }

        [Fact]
        public void A_device_capture_ends_by_itself_after_the_hinge_comes_back_up()
        {
            var imu = new SyntheticImu(RandomMountings(7));
            var timeline = new Timeline().AddCalibration().Hold(5, default);
            var tracker = new PostureTracker();
            bool hingeStarted = false, neutralStarted = false;
            CalibrationReport? hinge = null;
            foreach (var f in imu.Generate(timeline.At, 0, timeline.Duration))
            {
                double t = f.TimeUs * 1e-6;
                if (!neutralStarted && t > 0.2) { tracker.BeginCalibration(CalibrationStep.Neutral, 2.5f); neutralStarted = true; }
                if (!hingeStarted && t >= 3.0) { tracker.BeginCalibration(CalibrationStep.Hinge, 15f); hingeStarted = true; }
                tracker.Update(f);
                if (tracker.TakeCalibrationReport(out CalibrationReport r) && r.Step == CalibrationStep.Hinge) hinge = r;
            }
            Assert.NotNull(hinge);
            Assert.Equal(CalibrationStatus.Ok, hinge!.Status);
            Assert.InRange(hinge.EndS, 6.5f, 8.5f); // back up at ~8 s, well before the 15 s timeout
            Assert.True(tracker.Calibration.IsComplete);
        }
    }
}
