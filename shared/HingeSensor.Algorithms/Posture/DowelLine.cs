using System;
using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Posture
{
    /// <summary>
    /// The dowel test in numbers: how far, in cm, the back leaves a straight bar laid along the
    /// sacrum, the upper back and the head.
    /// </summary>
    /// <remarks>
    /// Model (sagittal plane, angles relative to calibrated neutral, where the three contact
    /// points are taken to lie on one line): the spine between two sensors is an arc of constant
    /// curvature whose tangent turns from one sensor's inclination to the next, so its chord has
    /// length L·sin(Δ/2)/(Δ/2) and points along the mean angle. The bar rests behind the points.
    /// If the upper back bulges behind the sacrum–head line (rounding, chin drop), the bar pivots on
    /// the sacrum and the upper back and the gap is the head's distance from that line. Otherwise
    /// (head cranked back, over-arched) the bar rests on sacrum and head and the gap is the upper
    /// back's distance from it.
    /// <para>Runs at every decision on the device: the two chords are written out and System.Math
    /// is called directly, since every call costs there.</para>
    /// </remarks>
    public static class DowelLine
    {
        public static float GapCm(float sacrumSagDeg, float upperSagDeg, float headSagDeg, BodyDimensions body)
        {
            // Positions in the sagittal plane: x forward, z up; sacrum at the origin.
            // Chord sacrum → upper back.
            float half = 0.5f * (upperSagDeg - sacrumSagDeg) * FloatMath.RadPerDeg;
            float scale = half < 1e-4f && half > -1e-4f ? 1f : (float)Math.Sin(half) / half;
            float mean = 0.5f * (sacrumSagDeg + upperSagDeg) * FloatMath.RadPerDeg;
            float length = body.SacrumToUpperBackCm * scale;
            float ux = length * (float)Math.Sin(mean);
            float uz = length * (float)Math.Cos(mean);
            // Chord upper back → head, added on.
            half = 0.5f * (headSagDeg - upperSagDeg) * FloatMath.RadPerDeg;
            scale = half < 1e-4f && half > -1e-4f ? 1f : (float)Math.Sin(half) / half;
            mean = 0.5f * (upperSagDeg + headSagDeg) * FloatMath.RadPerDeg;
            length = body.UpperBackToHeadCm * scale;
            float hx = ux + length * (float)Math.Sin(mean);
            float hz = uz + length * (float)Math.Cos(mean);

            // Signed distance of the upper back from the sacrum→head line, + = behind it.
            float sh = (float)Math.Sqrt(hx * hx + hz * hz);
            if (sh < 1e-3f) return 0f;
            float behind = (uz * hx - ux * hz) / sh;
            if (behind <= 0f) return -behind;

            // The bar lies on sacrum and upper back: distance of the head from that line.
            float su = (float)Math.Sqrt(ux * ux + uz * uz);
            if (su < 1e-3f) return 0f;
            float d = hx * uz - hz * ux;
            return (d < 0f ? -d : d) / su;
        }
    }
}
