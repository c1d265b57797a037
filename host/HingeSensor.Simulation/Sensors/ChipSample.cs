namespace HingeSensor.Simulation.Sensors
{
    /// <summary>One output sample of a simulated MPU6050 as its registers hold it: raw counts, taken at <see cref="TimeS"/> (true time).</summary>
    public readonly record struct ChipSample(double TimeS, short Ax, short Ay, short Az, short Gx, short Gy, short Gz, short Temp)
    {
        public bool AccelClipped => IsRail(Ax) || IsRail(Ay) || IsRail(Az);
        public bool GyroClipped => IsRail(Gx) || IsRail(Gy) || IsRail(Gz);
        private static bool IsRail(short v) => v == short.MaxValue || v == short.MinValue;
    }
}
