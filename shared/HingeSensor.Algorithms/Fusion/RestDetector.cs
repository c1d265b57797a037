using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// Decides that a sensor is at rest: both its angular rate and its specific force have stayed
    /// close to their low-passed values for a minimum time. While at rest the low-passed rate is
    /// the gyroscope bias, the best chance there is to measure it.
    /// </summary>
    public struct RestDetector
    {
        public LowPass3 GyroLowPass;
        public LowPass3 AccelLowPass;
        public float StillTimeS;
        public bool IsRest;

        public void Reset()
        {
            GyroLowPass = new LowPass3();
            AccelLowPass = new LowPass3();
            StillTimeS = 0f;
            IsRest = false;
        }

        /// <summary>Feeds one sample; returns whether the sensor is at rest now.</summary>
        public bool Update(Vector3 gyr, Vector3 acc, float dt, FusionSettings s, float gyroThresholdSq, float accelThresholdSq)
        {
            float alpha = LowPass3.Alpha(dt, s.RestFilterTimeConstantS);
            GyroLowPass.Update(gyr, alpha);
            AccelLowPass.Update(acc, alpha);

            Vector3 dg = gyr - GyroLowPass.Value;
            Vector3 da = acc - AccelLowPass.Value;
            if (dg.LengthSquared >= gyroThresholdSq || da.LengthSquared >= accelThresholdSq)
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
