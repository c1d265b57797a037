using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using System.Linq;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>
    /// The accelerometer offset found in the calibration hinge (<see cref="AccelBiasCapture"/>) and
    /// removed by the filter. The hinge here is exact physics: a sensor r metres above a pivot,
    /// pitching 65° forward about the sensor's y axis and back (2.4 s each way, as the simulator's
    /// calibration hinge), so its specific force carries the tangential r·θ̈ and centripetal r·θ̇²
    /// of the swing besides gravity and the offset.
    /// </summary>
    public class AccelBiasTests
    {
        private const float G = 9.81f;
        private const float Dt = 0.01f;
        private const int CorrectEvery = 4;

        // θ(t): still 1 s, down 2.4 s, hold 0.5 s, up 2.4 s, then still; with θ̇ and θ̈.
        private static (double Th, double Rate, double Acc) Swing(double t, double amplitudeDeg)
        {
            double a = amplitudeDeg * Math.PI / 180, d = 2.4;
            if (t < 1 || t >= 6.3) return (0, 0, 0);
            if (t < 3.4)
            {
                double u = (t - 1) / d;
                return (a * (1 - Math.Cos(Math.PI * u)) / 2, a * Math.PI / (2 * d) * Math.Sin(Math.PI * u), a * Math.PI * Math.PI / (2 * d * d) * Math.Cos(Math.PI * u));
            }
            if (t < 3.9) return (a, 0, 0);
            double v = (t - 3.9) / d;
            return (a * (1 + Math.Cos(Math.PI * v)) / 2, -a * Math.PI / (2 * d) * Math.Sin(Math.PI * v), -a * Math.PI * Math.PI / (2 * d * d) * Math.Cos(Math.PI * v));
        }

        /// <summary>Runs the swing through a filter with the given offset; the capture's estimate (a ridge just big enough to pin the part along the axis, which nothing else does).</summary>
        private static Vector3 Estimate(Vector3 offset, float radiusM, float radiusTold, float ridge = 0.001f)
        {
            var f = new OrientationFilter();
            var capture = new AccelBiasCapture();
            int k = 0;
            for (double t = 0; t < 8.3; t += Dt, k++)
            {
                var (th, rate, acc) = Swing(t, 65);
                float s = (float)Math.Sin(th), c = (float)Math.Cos(th);
                // Specific force in the sensor frame: x = r·θ̈ − g·sin θ, z = g·cos θ − r·θ̇².
                float fx = radiusM * (float)acc - G * s;
                float fz = G * c - radiusM * (float)(rate * rate);
                f.Integrate(0f, (float)rate, 0f, fx + offset.X, offset.Y, fz + offset.Z, Dt, false, false);
                if (k % CorrectEvery == CorrectEvery - 1 && f.Correct() && t > 0.5)
                    capture.Add(0, f, Vector3.UnitZ, radiusTold, Dt * CorrectEvery);
            }
            return capture.Solve(0, ridge);
        }

        [Fact]
        public void The_offset_across_the_hinge_axis_is_found_and_the_part_along_it_is_left_alone()
        {
            var offset = new Vector3(0.35f, -0.3f, -0.45f);
            Vector3 found = Estimate(offset, 0.4f, 0.4f);
            // x and z lie across the axis (y): found to a few mg; y cannot be seen and stays 0.
            Assert.InRange(found.X - offset.X, -0.03f, 0.03f);
            Assert.InRange(found.Z - offset.Z, -0.03f, 0.03f);
            Assert.InRange(found.Y, -0.01f, 0.01f);
        }

        [Fact]
        public void The_swing_about_the_hip_is_taken_out_before_the_fit()
        {
            // Without it the centripetal r·θ̇², always along −z in the sensor frame, reads as offset.
            var offset = new Vector3(0.2f, 0f, 0.3f);
            Vector3 told = Estimate(offset, 0.4f, 0.4f);
            Vector3 ignored = Estimate(offset, 0.4f, 0f);
            Assert.InRange(told.Z - offset.Z, -0.03f, 0.03f);
            Assert.True(ignored.Z - offset.Z < -0.04f, $"ignoring the pull: z {ignored.Z:0.000} for {offset.Z:0.000}");
        }

        [Fact]
        public void No_offset_finds_none_and_the_ridge_only_shrinks()
        {
            Vector3 none = Estimate(Vector3.Zero, 0.4f, 0.4f);
            Assert.True(none.Length < 0.03f, $"found {none.X:0.000} {none.Y:0.000} {none.Z:0.000}");
            var offset = new Vector3(0.4f, 0f, 0.4f);
            Vector3 free = Estimate(offset, 0.4f, 0.4f), shrunk = Estimate(offset, 0.4f, 0.4f, 0.1f);
            Assert.True(shrunk.Length < free.Length && shrunk.Length > 0.3f * free.Length, $"{shrunk.Length:0.000} vs {free.Length:0.000}");
        }

        [Fact]
        public void Too_few_windows_find_nothing()
        {
            var f = new OrientationFilter();
            var capture = new AccelBiasCapture();
            for (int i = 0; i < 9; i++)
            {
                f.Update(new Vector3(0f, 0.5f, 0f), new Vector3(0.3f, 0f, G), Dt);
                capture.Add(0, f, Vector3.UnitZ, 0.4f, Dt);
            }
            Assert.Equal(Vector3.Zero, capture.Solve(0, 0f));
        }

        [Fact]
        public void A_filter_told_the_offset_reads_the_tilt_without_it()
        {
            // Held at 60° with an offset along the sensor's z: seen as 1.6° of extra tilt until the
            // filter removes it; the change of offset moves the estimate at once, not over seconds.
            var offset = new Vector3(0f, 0f, 0.5f);
            float s = MathF.Sin(MathF.PI / 3), c = MathF.Cos(MathF.PI / 3);
            var f = new OrientationFilter();
            for (int i = 0; i < 1000; i++) f.Update(Vector3.Zero, new Vector3(-G * s + offset.X, offset.Y, G * c + offset.Z), Dt);
            float Tilt() => MathF.Acos(Math.Clamp(Vector3.Dot(Inclination.UpInSensor(f.Orientation), Vector3.UnitZ), -1f, 1f)) * 180f / MathF.PI;
            Assert.True(Math.Abs(Tilt() - 60f) > 1f, $"with the offset: {Tilt():0.00}°");
            f.SetAccelBias(offset);
            f.Update(Vector3.Zero, new Vector3(-G * s + offset.X, offset.Y, G * c + offset.Z), Dt);
            Assert.InRange(Tilt(), 59.9f, 60.1f);
            Assert.Equal(offset, f.AccelBias);
            f.Reset(); // a sensor gap: the offset is the chip's and stays
            for (int i = 0; i < 5; i++) f.Update(Vector3.Zero, new Vector3(-G * s + offset.X, offset.Y, G * c + offset.Z), Dt);
            Assert.InRange(Tilt(), 59.9f, 60.1f);
        }

        [Fact]
        public void The_calibration_check_refuses_an_offset_no_chip_has()
        {
            var cal = new BodyCalibration();
            foreach (SegmentCalibration c in cal.Segments) c.HasNeutral = true;
            Assert.Equal(CalibrationStatus.Ok, CalibrationCheck.Check(cal, out _));
            cal.Segments[1].AccelBias = new Vector3(0f, 0f, 2f);
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(cal, out int segment));
            Assert.Equal(1, segment);
            cal.Segments[1].AccelBias = new Vector3(float.NaN, 0f, 0f);
            Assert.Equal(CalibrationStatus.Inconsistent, CalibrationCheck.Check(cal, out _));
        }

        [Fact]
        public void The_calibration_hinge_finds_the_offsets_and_the_angles_at_depth_lose_their_error()
        {
            // Through the tracker: chips offset by 40–60 mg (MPU6050: up to 80), straps at random,
            // the sensors swinging about the hip as on a body. Calibration, then 80° hinges.
            var t = new Timeline().AddCalibration();
            for (int rep = 0; rep < 3; rep++)
            {
                t.Add(5, s =>
                {
                    double a = Timeline.UpDown(s, 2.0, 0.8, 2.0);
                    return new Pose { SacrumSag = 55 * a, UpperSag = 80 * a, HeadSag = 75 * a };
                });
                t.Hold(1.5, default);
            }
            var rng = new Random(3);
            var mount = new[] { SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng), SyntheticImu.RandomRotation(rng) };
            var offsets = new[] { new Vector3(0.45f, -0.4f, 0.3f), new Vector3(-0.5f, 0.35f, -0.45f), new Vector3(0.4f, 0.5f, -0.55f) };
            double WorstAtDepth(float ridge, out TrackerRun run)
            {
                var imu = new SyntheticImu(mount, 7) { AccelBias = offsets, GyroNoiseDps = 0.05, AccelNoise = 0.02 };
                var settings = new TrackerSettings();
                settings.Calibration.AccelBiasRidge = ridge;
                run = TrackerRun.Run(imu.Generate(t.At, 0, t.Duration), settings);
                double worst = 0;
                foreach (PostureMetrics m in run.Metrics.Where(m => m.TimeS > Timeline.HingeEnd + 0.5f))
                {
                    Pose p = t.At(m.TimeS);
                    if (p.UpperSag < 60) continue; // near the bottom, where an offset tilts the reading most
                    worst = Math.Max(worst, Math.Abs(m.UpperBackSagittalDeg - p.UpperSag));
                    worst = Math.Max(worst, Math.Abs(m.HeadSagittalDeg - p.HeadSag));
                    worst = Math.Max(worst, Math.Abs(m.SacrumSagittalDeg - p.SacrumSag));
                }
                return worst;
            }
            double without = WorstAtDepth(-1f, out _);
            double with = WorstAtDepth(0.1f, out TrackerRun found);
            Assert.True(without > 2.0, $"the offsets should cost degrees without the fit: {without:0.00}°");
            // The ridge keeps 60–80 % of what a 70° hinge shows (what the simulated chips, with
            // their scale and cross-axis errors, were best served by), so the error falls by a
            // good part, not all of it.
            Assert.True(with < 0.75 * without, $"with the fit {with:0.00}°, without {without:0.00}°");
            for (int i = 0; i < 3; i++)
            {
                SegmentCalibration c = found.Tracker.Calibration.Segments[i];
                Vector3 b = c.AccelBias, axis = c.SegmentToSensor.Rotate(Vector3.UnitY);
                Vector3 across = offsets[i] - axis * Vector3.Dot(offsets[i], axis);
                float left = (b - across).Length, cos = Vector3.Dot(b, across) / (b.Length * across.Length);
                Assert.True(left < 0.4f * across.Length + 0.05f && cos > 0.95f, $"segment {i}: {left:0.000} m/s² of the offset across the axis left (of {across.Length:0.000}), cos {cos:0.000}");
                Assert.Equal(b, found.Tracker.Filter(i).AccelBias); // in force in the filter
            }
        }
    }
}
