namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// First-order low-pass of a 3-vector, y += α (x − y), α = dt / (τ + dt). Written in this
    /// incremental form because it stays accurate in float when α is tiny (τ of seconds at
    /// hundreds of Hz), where the usual biquad coefficients would drown in rounding.
    /// </summary>
    /// <remarks>A class updated in place, not a struct: on the nanoFramework interpreter every
    /// struct copy is a heap allocation.</remarks>
    public sealed class LowPass3
    {
        public float X;
        public float Y;
        public float Z;
        public bool Initialized;

        public void Clear() { Initialized = false; }

        public void Reset(float x, float y, float z)
        {
            X = x;
            Y = y;
            Z = z;
            Initialized = true;
        }

        public void Update(float x, float y, float z, float alpha)
        {
            if (!Initialized)
            {
                Reset(x, y, z);
                return;
            }
            X += alpha * (x - X);
            Y += alpha * (y - Y);
            Z += alpha * (z - Z);
        }

        /// <summary>The smoothing factor for a time constant τ and a step dt, both in seconds.</summary>
        public static float Alpha(float dt, float tau)
        {
            if (tau <= 0f) return 1f;
            return dt / (tau + dt);
        }
    }
}
