namespace HingeSensor.Algorithms.Numerics
{
    /// <summary>
    /// A 3-vector of float. Our own because System.Numerics is not on the device and
    /// nanoFramework's Vector3 is double (software-emulated on the single-precision ESP32 FPU).
    /// </summary>
    public readonly struct Vector3
    {
        public readonly float X;
        public readonly float Y;
        public readonly float Z;

        public Vector3(float x, float y, float z)
        {
            X = x;
            Y = y;
            Z = z;
        }

        public static Vector3 Zero { get { return new Vector3(0f, 0f, 0f); } }
        public static Vector3 UnitX { get { return new Vector3(1f, 0f, 0f); } }
        public static Vector3 UnitY { get { return new Vector3(0f, 1f, 0f); } }
        public static Vector3 UnitZ { get { return new Vector3(0f, 0f, 1f); } }

        public float LengthSquared { get { return X * X + Y * Y + Z * Z; } }
        public float Length { get { return FloatMath.Sqrt(X * X + Y * Y + Z * Z); } }

        /// <summary>This vector scaled to length 1, or zero when it has no length.</summary>
        public Vector3 Normalized()
        {
            float n2 = X * X + Y * Y + Z * Z;
            if (n2 <= 1e-30f) return new Vector3(0f, 0f, 0f);
            float inv = 1f / FloatMath.Sqrt(n2);
            return new Vector3(X * inv, Y * inv, Z * inv);
        }

        public static float Dot(Vector3 a, Vector3 b) { return a.X * b.X + a.Y * b.Y + a.Z * b.Z; }

        public static Vector3 Cross(Vector3 a, Vector3 b)
        {
            return new Vector3(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);
        }

        public static Vector3 operator +(Vector3 a, Vector3 b) { return new Vector3(a.X + b.X, a.Y + b.Y, a.Z + b.Z); }
        public static Vector3 operator -(Vector3 a, Vector3 b) { return new Vector3(a.X - b.X, a.Y - b.Y, a.Z - b.Z); }
        public static Vector3 operator -(Vector3 a) { return new Vector3(-a.X, -a.Y, -a.Z); }
        public static Vector3 operator *(Vector3 a, float s) { return new Vector3(a.X * s, a.Y * s, a.Z * s); }
        public static Vector3 operator *(float s, Vector3 a) { return new Vector3(a.X * s, a.Y * s, a.Z * s); }

        public bool IsFinite { get { return FloatMath.IsFinite(X) && FloatMath.IsFinite(Y) && FloatMath.IsFinite(Z); } }

        public override string ToString() { return "(" + X.ToString() + ", " + Y.ToString() + ", " + Z.ToString() + ")"; }
    }
}
