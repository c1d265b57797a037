using System;

namespace HingeSensor.DevTools.Evaluation.PublicRecordings
{
    /// <summary>The public recordings give g and °/s; our raw format wants m/s² and rad/s.</summary>
    internal static class UnitConversion
    {
        public const double StandardGravity = 9.80665;
        public const double RadiansPerDegree = Math.PI / 180;

        /// <summary>
        /// One sensor's six raw values in our units. What matters is that each gyroscope turns the
        /// same way as its accelerometer's frame (a mirrored axis would be a reflection no filter can
        /// follow): checked on both datasets, the finite-difference turn of the measured vertical
        /// matches vertical × ω, not its opposite (docs/public-recordings.md). Whether an
        /// accelerometer reads +1 g or −1 g upward cannot be told from the data and does not matter:
        /// the product measures tilt from the vertical it captured at neutral.
        /// </summary>
        public static void Fill(Span<double> into, float ax, float ay, float az, float gx, float gy, float gz)
        {
            into[0] = ax * StandardGravity;
            into[1] = ay * StandardGravity;
            into[2] = az * StandardGravity;
            into[3] = gx * RadiansPerDegree;
            into[4] = gy * RadiansPerDegree;
            into[5] = gz * RadiansPerDegree;
        }
    }
}
