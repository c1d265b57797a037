using System;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Tests.Synthetic;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    public class NumericsTests
    {
        private static void Near(Vector3 expected, Vector3 actual, float tol = 1e-5f)
        {
            Assert.True((expected - actual).Length < tol, $"expected {expected}, got {actual}");
        }

        [Fact]
        public void Rotate_matches_the_quaternion_sandwich_product()
        {
            var rng = new Random(3);
            for (int i = 0; i < 100; i++)
            {
                Quaternion q = SyntheticImu.RandomRotation(rng);
                var v = new Vector3((float)rng.NextDouble(), (float)rng.NextDouble() - 0.5f, 2f);
                Quaternion p = q * new Quaternion(0f, v.X, v.Y, v.Z) * q.Conjugate();
                Near(new Vector3(p.X, p.Y, p.Z), q.Rotate(v));
                Near(v, q.RotateInverse(q.Rotate(v)));
            }
        }

        [Fact]
        public void Product_applies_the_right_factor_first()
        {
            Quaternion aboutZ = Quaternion.FromAxisAngle(Vector3.UnitZ, MathF.PI / 2);
            Quaternion aboutX = Quaternion.FromAxisAngle(Vector3.UnitX, MathF.PI / 2);
            // X then Z: y → z → z ; Z then X: y → -x → -x
            Near(Vector3.UnitZ, (aboutZ * aboutX).Rotate(Vector3.UnitY));
            Near(-Vector3.UnitX, (aboutX * aboutZ).Rotate(Vector3.UnitY));
        }

        [Fact]
        public void FromBasis_maps_the_unit_axes_onto_the_basis()
        {
            var rng = new Random(5);
            for (int i = 0; i < 200; i++)
            {
                Quaternion q = SyntheticImu.RandomRotation(rng);
                Vector3 x = q.Rotate(Vector3.UnitX), y = q.Rotate(Vector3.UnitY), z = q.Rotate(Vector3.UnitZ);
                Quaternion r = Quaternion.FromBasis(x, y, z);
                Assert.True(Quaternion.AngleBetweenDeg(q, r) < 0.05f);
            }
        }

        [Fact]
        public void FromTwoVectors_turns_one_onto_the_other_including_opposites()
        {
            var rng = new Random(7);
            for (int i = 0; i < 200; i++)
            {
                Vector3 a = SyntheticImu.RandomRotation(rng).Rotate(Vector3.UnitZ);
                Vector3 b = i % 10 == 0 ? -a : SyntheticImu.RandomRotation(rng).Rotate(Vector3.UnitX);
                Near(b, Quaternion.FromTwoVectors(a, b).Rotate(a), 1e-4f);
            }
        }

        [Fact]
        public void Largest_eigenvector_of_a_rotation_scatter_is_its_axis()
        {
            var axis = new Vector3(0.3f, -0.8f, 0.52f).Normalized();
            // Scatter of rates along the axis plus a little isotropic noise.
            float a00 = 10 * axis.X * axis.X + 0.1f, a01 = 10 * axis.X * axis.Y, a02 = 10 * axis.X * axis.Z;
            float a11 = 10 * axis.Y * axis.Y + 0.1f, a12 = 10 * axis.Y * axis.Z, a22 = 10 * axis.Z * axis.Z + 0.1f;
            Vector3 v = SymmetricEigen3.Largest(a00, a01, a02, a11, a12, a22, out float l1, out float l2, out float l3);
            Assert.True(MathF.Abs(Vector3.Dot(v, axis)) > 0.99999f);
            Assert.Equal(10.1f, l1, 3);
            Assert.Equal(0.1f, l2, 3);
            Assert.Equal(0.1f, l3, 3);
        }
    }
}
