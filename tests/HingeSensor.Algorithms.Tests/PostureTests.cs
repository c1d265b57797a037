using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class PostureTests
    {
        [Theory]
        [InlineData(0, 0)]
        [InlineData(30, 0)]
        [InlineData(-20, 10)]
        [InlineData(95, 15)]
        [InlineData(150, -40)]
        [InlineData(-170, 5)]
        public void Inclination_recovers_sagittal_and_lateral_angles_whatever_the_heading(double sag, double lat)
        {
            foreach (double heading in new[] { 0.0, 73, -160 })
            {
                Quaternion segToEarth = SyntheticImu.SegmentToEarth(sag, lat, heading);
                Vector3 up = Inclination.UpInSensor(segToEarth);
                Assert.Equal(sag, Inclination.SagittalDeg(up), 2);
                Assert.Equal(lat, Inclination.LateralDeg(up), 2);
            }
        }

        [Fact]
        public void Positive_sagittal_is_forward_and_positive_lateral_is_to_the_right()
        {
            // Top of a segment (its z) tilted towards its own x (forward) by 30°.
            Quaternion forward = Quaternion.FromAxisAngle(Vector3.UnitY, 30 * MathF.PI / 180);
            Assert.True(forward.Rotate(Vector3.UnitZ).X > 0.49f);
            Assert.Equal(30, Inclination.SagittalDeg(Inclination.UpInSensor(forward)), 2);
            // Top tilted towards −y (the wearer's right, y being left).
            Quaternion right = Quaternion.FromAxisAngle(Vector3.UnitX, 20 * MathF.PI / 180);
            Assert.True(right.Rotate(Vector3.UnitZ).Y < -0.3f);
            Assert.Equal(20, Inclination.LateralDeg(Inclination.UpInSensor(right)), 2);
        }

        [Fact]
        public void Relative_angles_follow_their_sign_conventions()
        {
            var calc = new PostureCalculator(new BodyCalibration(), new BodyDimensions());
            var m = new PostureMetrics();
            calc.FromInclinations(headSag: 50, upperSag: 70, sacrumSag: 45, validMask: 7, timeS: 0, m);
            Assert.Equal(25, m.TrunkFlexionDeg, 3);   // upper back ahead of the pelvis: rounding
            Assert.Equal(-20, m.HeadFlexionDeg, 3);   // head behind the upper back: cranked up
            Assert.Equal(45, m.HingeAngleDeg, 3);
            Assert.Equal(70, m.TorsoAngleDeg, 3);
            Assert.True(float.IsNaN(m.TrunkFlexionPercent));
        }

        [Fact]
        public void Dowel_gap_is_zero_for_a_straight_hinge_and_grows_with_rounding_and_chin_drop()
        {
            var body = new BodyDimensions(175);
            Assert.Equal(0, DowelLine.GapCm(0, 0, 0, body), 3);
            Assert.Equal(0, DowelLine.GapCm(80, 80, 80, body), 3);
            float r10 = DowelLine.GapCm(60, 70, 70, body);
            float r30 = DowelLine.GapCm(60, 90, 90, body);
            Assert.True(r10 > 1 && r30 > 2 * r10, $"{r10} {r30}");
            float chin = DowelLine.GapCm(80, 80, 105, body);
            Assert.True(chin > 4, $"chin {chin}");
            float headUp = DowelLine.GapCm(80, 80, 60, body);
            Assert.True(headUp > 1, $"head up {headUp}");
            // For a 175 cm wearer, 30° of rounding spread over the 33 cm from sacrum to upper back
            // (constant curvature) turns the bar by 15° at the upper back: the head, 28 cm further,
            // ends 28·sin 15° ≈ 7.2 cm off it.
            Assert.Equal(7.25f, r30, 1);
        }

        [Fact]
        public void Segment_lengths_scale_with_height()
        {
            var small = new BodyDimensions(150);
            var tall = new BodyDimensions(195);
            Assert.Equal(0.19f * 150, small.SacrumToUpperBackCm, 3);
            Assert.True(DowelLine.GapCm(60, 90, 90, tall) > DowelLine.GapCm(60, 90, 90, small));
        }
    }
}
