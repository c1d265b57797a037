namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// Decides that a sensor is at rest: both its angular rate and its specific force have stayed
    /// close to their low-passed values for a minimum time. While at rest the low-passed rate is
    /// the gyroscope bias, the best chance there is to measure it.
    /// </summary>
    public sealed class RestDetector
    {
        public readonly LowPass3 GyroLowPass = new LowPass3();
        public readonly LowPass3 AccelLowPass = new LowPass3();
        public float StillTimeS;
        public bool IsRest;

        public void Reset()
        {
            GyroLowPass.Clear();
            AccelLowPass.Clear();
            StillTimeS = 0f;
            IsRest = false;
        }

        /// <summary>Feeds one sample (rad/s, m/s²); returns whether the sensor is at rest now.</summary>
        public bool Update(float gx, float gy, float gz, float ax, float ay, float az, float dt,
                           FusionSettings s, float gyroThresholdSq, float accelThresholdSq)
        {
            float alpha = LowPass3.Alpha(dt, s.RestFilterTimeConstantS);
            LowPass3 g = GyroLowPass, a = AccelLowPass;
            g.Update(gx, gy, gz, alpha);
            a.Update(ax, ay, az, alpha);

            float dgx = gx - g.X, dgy = gy - g.Y, dgz = gz - g.Z;
            float dax = ax - a.X, day = ay - a.Y, daz = az - a.Z;
            if (dgx * dgx + dgy * dgy + dgz * dgz >= gyroThresholdSq || dax * dax + day * day + daz * daz >= accelThresholdSq)
            {
                StillTimeS = 0f;
                IsRest = false;
                return false;
            }
            StillTimeS += dt;
            IsRest = StillTimeS >= s.RestMinDurationS;
            return IsRest;
        }
    }
}
