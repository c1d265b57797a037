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
    /// </remarks>
    public static class DowelLine
    {
        public static float GapCm(float sacrumSagDeg, float upperSagDeg, float headSagDeg, BodyDimensions body)
        {
            // Positions in the sagittal plane: x forward, z up; sacrum at the origin.
            float ux, uz, hx, hz;
            Chord(sacrumSagDeg, upperSagDeg, body.SacrumToUpperBackCm, out ux, out uz);
            Chord(upperSagDeg, headSagDeg, body.UpperBackToHeadCm, out hx, out hz);
            hx += ux;
            hz += uz;

            // Signed distance of the upper back from the sacrum→head line, + = behind it.
            float sh = FloatMath.Sqrt(hx * hx + hz * hz);
            if (sh < 1e-3f) return 0f;
            float behind = (uz * hx - ux * hz) / sh;
            if (behind <= 0f) return -behind;

            // The bar lies on sacrum and upper back: distance of the head from that line.
            float su = FloatMath.Sqrt(ux * ux + uz * uz);
            if (su < 1e-3f) return 0f;
            return FloatMath.Abs(hx * uz - hz * ux) / su;
        }

        private static void Chord(float fromDeg, float toDeg, float length, out float x, out float z)
        {
            float half = 0.5f * (toDeg - fromDeg) * FloatMath.RadPerDeg;
            float scale = FloatMath.Abs(half) < 1e-4f ? 1f : FloatMath.Sin(half) / half;
            float mean = 0.5f * (fromDeg + toDeg) * FloatMath.RadPerDeg;
            x = length * scale * FloatMath.Sin(mean);
            z = length * scale * FloatMath.Cos(mean);
        }
    }
}
