using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Host.Recording
{
    /// <summary>One row of a raw recording: time and the three IMUs (specific force m/s², rate rad/s, sensor frames).</summary>
    public sealed class RawRow
    {
        public long Line;
        public double TimeS;
        public readonly Vector3[] Accel = new Vector3[3];
        public readonly Vector3[] Gyro = new Vector3[3];
        public readonly bool[] AccelClipped = new bool[3];
        public readonly bool[] GyroClipped = new bool[3];
    }
}
