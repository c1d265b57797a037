using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Sensing
{
    /// <summary>
    /// One reading of one IMU in its own sensor frame: angular rate in rad/s and specific force in
    /// m/s² (at rest it points up, +9.81 on the axis that is up). A clipped axis sets the flag;
    /// <see cref="Present"/> is false when the sensor did not answer for this sample.
    /// </summary>
    /// <remarks>A class of floats filled in place (see <see cref="SensorFrame"/>), not a struct
    /// of vectors: on the nanoFramework interpreter every struct copy is a heap allocation.</remarks>
    public sealed class ImuSample
    {
        public float GyroX, GyroY, GyroZ;
        public float AccelX, AccelY, AccelZ;
        public bool GyroClipped;
        public bool AccelClipped;
        public bool Present;

        /// <summary>A present, unclipped reading.</summary>
        public void Set(float gx, float gy, float gz, float ax, float ay, float az)
        {
            GyroX = gx; GyroY = gy; GyroZ = gz;
            AccelX = ax; AccelY = ay; AccelZ = az;
            GyroClipped = false;
            AccelClipped = false;
            Present = true;
        }

        /// <summary>A present, unclipped reading (host and tests).</summary>
        public void Set(Vector3 gyro, Vector3 accel) { Set(gyro.X, gyro.Y, gyro.Z, accel.X, accel.Y, accel.Z); }

        /// <summary>Angular rate, rad/s (host and tests: allocates on the device).</summary>
        public Vector3 Gyro { get { return new Vector3(GyroX, GyroY, GyroZ); } }

        /// <summary>Specific force, m/s² (host and tests: allocates on the device).</summary>
        public Vector3 Accel { get { return new Vector3(AccelX, AccelY, AccelZ); } }

        public void CopyFrom(ImuSample o)
        {
            GyroX = o.GyroX; GyroY = o.GyroY; GyroZ = o.GyroZ;
            AccelX = o.AccelX; AccelY = o.AccelY; AccelZ = o.AccelZ;
            GyroClipped = o.GyroClipped;
            AccelClipped = o.AccelClipped;
            Present = o.Present;
        }
    }
}
