using System;

namespace HingeSensor.Simulation.Geometry
{
    /// <summary>A 3×3 rotation (or general) matrix in double, row-major. Column j is where unit axis j goes.</summary>
    public readonly record struct Mat3(double M00, double M01, double M02, double M10, double M11, double M12, double M20, double M21, double M22)
    {
        public static readonly Mat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

        public static Mat3 RotX(double a) { double c = Math.Cos(a), s = Math.Sin(a); return new(1, 0, 0, 0, c, -s, 0, s, c); }
        public static Mat3 RotY(double a) { double c = Math.Cos(a), s = Math.Sin(a); return new(c, 0, s, 0, 1, 0, -s, 0, c); }
        public static Mat3 RotZ(double a) { double c = Math.Cos(a), s = Math.Sin(a); return new(c, -s, 0, s, c, 0, 0, 0, 1); }

        /// <summary>Rotation by angle about a unit axis (Rodrigues).</summary>
        public static Mat3 AxisAngle(Vec3 axis, double angle)
        {
            Vec3 k = axis.Normalized();
            double c = Math.Cos(angle), s = Math.Sin(angle), t = 1 - c;
            return new(
                t * k.X * k.X + c, t * k.X * k.Y - s * k.Z, t * k.X * k.Z + s * k.Y,
                t * k.X * k.Y + s * k.Z, t * k.Y * k.Y + c, t * k.Y * k.Z - s * k.X,
                t * k.X * k.Z - s * k.Y, t * k.Y * k.Z + s * k.X, t * k.Z * k.Z + c);
        }

        public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

        public static Mat3 operator *(Mat3 a, Mat3 b) => new(
            a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20, a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21, a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
            a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20, a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21, a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
            a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20, a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21, a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);

        public static Vec3 operator *(Mat3 m, Vec3 v) => new(
            m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
            m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
            m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

        /// <summary>Mᵀ v without forming the transpose.</summary>
        public Vec3 TransposeTimes(Vec3 v) => new(
            M00 * v.X + M10 * v.Y + M20 * v.Z,
            M01 * v.X + M11 * v.Y + M21 * v.Z,
            M02 * v.X + M12 * v.Y + M22 * v.Z);

        public Vec3 Column(int j) => j switch { 0 => new(M00, M10, M20), 1 => new(M01, M11, M21), _ => new(M02, M12, M22) };

        /// <summary>The rotation as a unit quaternion (w, x, y, z), w ≥ 0.</summary>
        public (double W, double X, double Y, double Z) ToQuaternion()
        {
            double tr = M00 + M11 + M22;
            double w, x, y, z;
            if (tr > 0) { double s = 2 * Math.Sqrt(1 + tr); w = 0.25 * s; x = (M21 - M12) / s; y = (M02 - M20) / s; z = (M10 - M01) / s; }
            else if (M00 > M11 && M00 > M22) { double s = 2 * Math.Sqrt(1 + M00 - M11 - M22); w = (M21 - M12) / s; x = 0.25 * s; y = (M01 + M10) / s; z = (M02 + M20) / s; }
            else if (M11 > M22) { double s = 2 * Math.Sqrt(1 + M11 - M00 - M22); w = (M02 - M20) / s; x = (M01 + M10) / s; y = 0.25 * s; z = (M12 + M21) / s; }
            else { double s = 2 * Math.Sqrt(1 + M22 - M00 - M11); w = (M10 - M01) / s; x = (M02 + M20) / s; y = (M12 + M21) / s; z = 0.25 * s; }
            double n = Math.Sqrt(w * w + x * x + y * y + z * z) * (w < 0 ? -1 : 1);
            return (w / n, x / n, y / n, z / n);
        }
    }
}
