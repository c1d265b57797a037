using System;

namespace HingeSensor.Algorithms.Numerics
{
    /// <summary>
    /// The one door to System.Math. nanoFramework's System.Math is double-only for the transcendental
    /// functions while the ESP32 FPU (and the firmware build) is single precision, so every call goes
    /// through here and comes back as float. Keeping the calls in one file also keeps the device
    /// compatibility check honest: it compiles this file against the double-only declarations.
    /// </summary>
    internal static class FloatMath
    {
        public const float Pi = 3.14159265358979f;
        public const float DegPerRad = 57.2957795130823f;
        public const float RadPerDeg = 0.0174532925199433f;

        public static float Sqrt(float x) { return (float)Math.Sqrt(x); }
        public static float Sin(float x) { return (float)Math.Sin(x); }
        public static float Cos(float x) { return (float)Math.Cos(x); }
        public static float Atan2(float y, float x) { return (float)Math.Atan2(y, x); }
        public static float Exp(float x) { return (float)Math.Exp(x); }

        /// <summary>Asin with the argument clamped to [-1, 1], so rounding never produces NaN.</summary>
        public static float Asin(float x) { return (float)Math.Asin(Clamp(x, -1f, 1f)); }

        /// <summary>Acos with the argument clamped to [-1, 1], so rounding never produces NaN.</summary>
        public static float Acos(float x) { return (float)Math.Acos(Clamp(x, -1f, 1f)); }

        // Abs/Min/Max/Clamp are written out: they are a compare each, cheaper in the interpreter
        // than a call into the native library.
        public static float Abs(float x) { return x < 0f ? -x : x; }
        public static float Min(float a, float b) { return a < b ? a : b; }
        public static float Max(float a, float b) { return a > b ? a : b; }

        public static float Clamp(float x, float lo, float hi)
        {
            if (x < lo) return lo;
            if (x > hi) return hi;
            return x;
        }

        public static bool IsFinite(float x) { return !float.IsNaN(x) && !float.IsInfinity(x); }
    }
}
