namespace HingeSensor.Algorithms.Numerics
{
    /// <summary>
    /// A rotation as a unit quaternion of float, scalar first. Convention throughout the project:
    /// a quaternion named <c>aToB</c> maps vectors from frame a to frame b: v_b = q v_a q*, and
    /// <c>aToC = bToC * aToB</c>.
    /// </summary>
    public readonly struct Quaternion
    {
        public readonly float W;
        public readonly float X;
        public readonly float Y;
        public readonly float Z;

        public Quaternion(float w, float x, float y, float z)
        {
            W = w;
            X = x;
            Y = y;
            Z = z;
        }

        public static Quaternion Identity { get { return new Quaternion(1f, 0f, 0f, 0f); } }

        public Quaternion Conjugate() { return new Quaternion(W, -X, -Y, -Z); }

        public float Norm { get { return FloatMath.Sqrt(W * W + X * X + Y * Y + Z * Z); } }

        /// <summary>Scaled to unit norm, sign chosen so that W ≥ 0 (the same rotation).</summary>
        public Quaternion Normalized()
        {
            float n2 = W * W + X * X + Y * Y + Z * Z;
            if (n2 <= 1e-30f) return new Quaternion(1f, 0f, 0f, 0f);
            float inv = 1f / FloatMath.Sqrt(n2);
            if (W < 0f) inv = -inv;
            return new Quaternion(W * inv, X * inv, Y * inv, Z * inv);
        }

        /// <summary>Hamilton product: (a * b) applies b first, then a.</summary>
        public static Quaternion operator *(Quaternion a, Quaternion b)
        {
            return new Quaternion(
                a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
                a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
                a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
                a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);
        }

        /// <summary>Rotates v by this quaternion: q v q*.</summary>
        public Vector3 Rotate(Vector3 v)
        {
            // t = 2 (q.xyz × v); v' = v + w t + q.xyz × t  (15 multiplies instead of two products)
            float tx = 2f * (Y * v.Z - Z * v.Y);
            float ty = 2f * (Z * v.X - X * v.Z);
            float tz = 2f * (X * v.Y - Y * v.X);
            return new Vector3(
                v.X + W * tx + (Y * tz - Z * ty),
                v.Y + W * ty + (Z * tx - X * tz),
                v.Z + W * tz + (X * ty - Y * tx));
        }

        /// <summary>Rotates v by the inverse of this quaternion: q* v q.</summary>
        public Vector3 RotateInverse(Vector3 v)
        {
            return new Quaternion(W, -X, -Y, -Z).Rotate(v);
        }

        /// <summary>The rotation by <paramref name="angleRad"/> about the unit vector <paramref name="axis"/>.</summary>
        public static Quaternion FromAxisAngle(Vector3 axis, float angleRad)
        {
            float h = 0.5f * angleRad;
            float s = FloatMath.Sin(h);
            return new Quaternion(FloatMath.Cos(h), axis.X * s, axis.Y * s, axis.Z * s);
        }

        /// <summary>
        /// The rotation by the rotation vector r (axis × angle, radians), exact for any angle.
        /// </summary>
        public static Quaternion FromRotationVector(Vector3 r)
        {
            float angle = r.Length;
            if (angle < 1e-8f) return new Quaternion(1f, 0.5f * r.X, 0.5f * r.Y, 0.5f * r.Z).Normalized();
            return FromAxisAngle(r * (1f / angle), angle);
        }

        /// <summary>The smallest rotation that turns unit vector <paramref name="from"/> into unit vector <paramref name="to"/>.</summary>
        public static Quaternion FromTwoVectors(Vector3 from, Vector3 to)
        {
            float d = Vector3.Dot(from, to);
            if (d < -0.999999f)
            {
                // Opposite vectors: any axis perpendicular to 'from' will do.
                Vector3 axis = Vector3.Cross(Vector3.UnitX, from);
                if (axis.LengthSquared < 1e-6f) axis = Vector3.Cross(Vector3.UnitY, from);
                axis = axis.Normalized();
                return new Quaternion(0f, axis.X, axis.Y, axis.Z);
            }
            Vector3 c = Vector3.Cross(from, to);
            return new Quaternion(1f + d, c.X, c.Y, c.Z).Normalized();
        }

        /// <summary>
        /// The rotation whose columns are the given orthonormal axes: it maps (1,0,0) to x, (0,1,0)
        /// to y and (0,0,1) to z. The axes must form a right-handed orthonormal basis.
        /// </summary>
        public static Quaternion FromBasis(Vector3 x, Vector3 y, Vector3 z)
        {
            // Shepperd's method: choose the largest diagonal term for numerical stability.
            float m00 = x.X, m10 = x.Y, m20 = x.Z;
            float m01 = y.X, m11 = y.Y, m21 = y.Z;
            float m02 = z.X, m12 = z.Y, m22 = z.Z;
            float trace = m00 + m11 + m22;
            if (trace > 0f)
            {
                float s = 2f * FloatMath.Sqrt(1f + trace);
                return new Quaternion(0.25f * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s).Normalized();
            }
            if (m00 > m11 && m00 > m22)
            {
                float s = 2f * FloatMath.Sqrt(1f + m00 - m11 - m22);
                return new Quaternion((m21 - m12) / s, 0.25f * s, (m01 + m10) / s, (m02 + m20) / s).Normalized();
            }
            if (m11 > m22)
            {
                float s = 2f * FloatMath.Sqrt(1f + m11 - m00 - m22);
                return new Quaternion((m02 - m20) / s, (m01 + m10) / s, 0.25f * s, (m12 + m21) / s).Normalized();
            }
            float s3 = 2f * FloatMath.Sqrt(1f + m22 - m00 - m11);
            return new Quaternion((m10 - m01) / s3, (m02 + m20) / s3, (m12 + m21) / s3, 0.25f * s3).Normalized();
        }

        /// <summary>The angle of the rotation a⁻¹b, in degrees (0..180).</summary>
        public static float AngleBetweenDeg(Quaternion a, Quaternion b)
        {
            float d = FloatMath.Abs(a.W * b.W + a.X * b.X + a.Y * b.Y + a.Z * b.Z);
            return 2f * FloatMath.Acos(d) * FloatMath.DegPerRad;
        }

        public bool IsFinite
        {
            get { return FloatMath.IsFinite(W) && FloatMath.IsFinite(X) && FloatMath.IsFinite(Y) && FloatMath.IsFinite(Z); }
        }

        public override string ToString()
        {
            return "[" + W.ToString() + ", " + X.ToString() + ", " + Y.ToString() + ", " + Z.ToString() + "]";
        }
    }
}
