using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// First-order low-pass of a 3-vector, y += α (x − y), α = dt / (τ + dt). Written in this
    /// incremental form because it stays accurate in float when α is tiny (τ of seconds at
    /// hundreds of Hz), where the usual biquad coefficients would drown in rounding.
    /// </summary>
    public struct LowPass3
    {
        public float X;
        public float Y;
        public float Z;
        public bool Initialized;

        public Vector3 Value { get { return new Vector3(X, Y, Z); } }

        public void Reset(Vector3 v)
        {
            X = v.X;
            Y = v.Y;
            Z = v.Z;
            Initialized = true;
        }

        public void Update(Vector3 v, float alpha)
        {
            if (!Initialized)
            {
                Reset(v);
                return;
            }
            X += alpha * (v.X - X);
            Y += alpha * (v.Y - Y);
            Z += alpha * (v.Z - Z);
        }

        /// <summary>The smoothing factor for a time constant τ and a step dt, both in seconds.</summary>
        public static float Alpha(float dt, float tau)
        {
            if (tau <= 0f) return 1f;
            return dt / (tau + dt);
        }
    }
}
