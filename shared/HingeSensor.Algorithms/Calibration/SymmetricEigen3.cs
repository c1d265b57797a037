using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Calibration
{
    /// <summary>
    /// Largest eigenpair of a symmetric 3×3 matrix by cyclic Jacobi rotations. Used once per
    /// calibration (not per sample), so clarity wins over speed.
    /// </summary>
    public static class SymmetricEigen3
    {
        /// <summary>
        /// Eigen-decomposes [[a00,a01,a02],[a01,a11,a12],[a02,a12,a22]]. Returns the eigenvalues in
        /// descending order and the eigenvector of the largest.
        /// </summary>
        public static Vector3 Largest(float a00, float a01, float a02, float a11, float a12, float a22,
            out float lambda1, out float lambda2, out float lambda3)
        {
            float[] a = { a00, a01, a02, a01, a11, a12, a02, a12, a22 };
            float[] v = { 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f };
            for (int sweep = 0; sweep < 20; sweep++)
            {
                float off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
                if (off < 1e-20f) break;
                Rotate(a, v, 0, 1);
                Rotate(a, v, 0, 2);
                Rotate(a, v, 1, 2);
            }
            int i0 = 0, i1 = 1, i2 = 2;
            if (a[i1 * 4] > a[i0 * 4]) { int t = i0; i0 = i1; i1 = t; }
            if (a[i2 * 4] > a[i0 * 4]) { int t = i0; i0 = i2; i2 = t; }
            if (a[i2 * 4] > a[i1 * 4]) { int t = i1; i1 = i2; i2 = t; }
            lambda1 = a[i0 * 4];
            lambda2 = a[i1 * 4];
            lambda3 = a[i2 * 4];
            return new Vector3(v[i0], v[3 + i0], v[6 + i0]).Normalized();
        }

        // One Jacobi rotation zeroing a[p,q]; v accumulates the eigenvectors as columns.
        private static void Rotate(float[] a, float[] v, int p, int q)
        {
            float apq = a[p * 3 + q];
            if (FloatMath.Abs(apq) < 1e-30f) return;
            float app = a[p * 3 + p];
            float aqq = a[q * 3 + q];
            float theta = 0.5f * (aqq - app) / apq;
            float t = 1f / (FloatMath.Abs(theta) + FloatMath.Sqrt(theta * theta + 1f));
            if (theta < 0f) t = -t;
            float c = 1f / FloatMath.Sqrt(t * t + 1f);
            float s = t * c;
            for (int k = 0; k < 3; k++)
            {
                float akp = a[k * 3 + p];
                float akq = a[k * 3 + q];
                a[k * 3 + p] = c * akp - s * akq;
                a[k * 3 + q] = s * akp + c * akq;
            }
            for (int k = 0; k < 3; k++)
            {
                float apk = a[p * 3 + k];
                float aqk = a[q * 3 + k];
                a[p * 3 + k] = c * apk - s * aqk;
                a[q * 3 + k] = s * apk + c * aqk;
            }
            for (int k = 0; k < 3; k++)
            {
                float vkp = v[k * 3 + p];
                float vkq = v[k * 3 + q];
                v[k * 3 + p] = c * vkp - s * vkq;
                v[k * 3 + q] = s * vkp + c * vkq;
            }
        }
    }
}
