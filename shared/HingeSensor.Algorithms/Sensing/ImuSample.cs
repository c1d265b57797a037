using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Algorithms.Sensing
{
    /// <summary>
    /// One reading of one IMU in its own sensor frame: angular rate in rad/s and specific force in
    /// m/s² (at rest it points up, +9.81 on the axis that is up). A clipped axis sets the flag;
    /// <see cref="Present"/> is false when the sensor did not answer for this sample.
    /// </summary>
    public struct ImuSample
    {
        public Vector3 Gyro;
        public Vector3 Accel;
        public bool GyroClipped;
        public bool AccelClipped;
        public bool Present;

        public ImuSample(Vector3 gyro, Vector3 accel)
        {
            Gyro = gyro;
            Accel = accel;
            GyroClipped = false;
            AccelClipped = false;
            Present = true;
        }
    }
}
