using System;
using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.DevTools.Evaluation
{
    /// <summary>The BROAD inclination error: the part of q_est·conj(q_ref) that is not a rotation about the vertical.</summary>
    public static class InclinationError
    {
        /// <summary>Inclination error in degrees between estimate and reference (both sensor → Earth, z up).</summary>
        public static double Degrees(Quaternion est, double rw, double rx, double ry, double rz)
        {
            double ew = est.W, ex = est.X, ey = est.Y, ez = est.Z;
            double en = Math.Sqrt(ew * ew + ex * ex + ey * ey + ez * ez);
            double rn = Math.Sqrt(rw * rw + rx * rx + ry * ry + rz * rz);
            ew /= en; ex /= en; ey /= en; ez /= en;
            rw /= rn; rx = -rx / rn; ry = -ry / rn; rz = -rz / rn; // conj(ref)
            double w = ew * rw - ex * rx - ey * ry - ez * rz;
            double z = ew * rz + ex * ry - ey * rx + ez * rw;
            double c = Math.Min(1.0, Math.Sqrt(w * w + z * z));
            return 2.0 * Math.Acos(c) * 180.0 / Math.PI;
        }
    }
}
