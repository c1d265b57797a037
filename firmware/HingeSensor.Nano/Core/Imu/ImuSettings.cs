namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>
    /// How the three MPU6050s are set up. ±8 g and ±1000 °/s cover hinging and swinging
    /// (BROAD's fastest trials reach 5 g and 925 °/s); the 44/42 Hz DLPF passes body motion and
    /// stops aliasing at 100 Hz.
    /// </summary>
    public sealed class ImuSettings
    {
        /// <summary>Output rate, Hz: 1 kHz / (1 + SMPLRT_DIV).</summary>
        public int RateHz = 100;

        /// <summary>±2, 4, 8 or 16 g.</summary>
        public int AccelRangeG = 8;

        /// <summary>±250, 500, 1000 or 2000 °/s.</summary>
        public int GyroRangeDps = 1000;

        /// <summary>CONFIG.DLPF_CFG, 1-6.</summary>
        public int DlpfCfg = 3;

        public int SampleRateDivider { get { return 1000 / RateHz - 1; } }

        public int AccelFsSel
        {
            get { return AccelRangeG == 2 ? 0 : AccelRangeG == 4 ? 1 : AccelRangeG == 8 ? 2 : 3; }
        }

        public int GyroFsSel
        {
            get { return GyroRangeDps == 250 ? 0 : GyroRangeDps == 500 ? 1 : GyroRangeDps == 1000 ? 2 : 3; }
        }

        /// <summary>m/s² per count: g / (16384 / 2^AFS_SEL).</summary>
        public float AccelScale { get { return 9.80665f * (1 << AccelFsSel) / 16384f; } }

        /// <summary>rad/s per count from the datasheet sensitivities 131, 65.5, 32.8, 16.4 LSB/(°/s).</summary>
        public float GyroScale
        {
            get
            {
                float lsb = GyroFsSel == 0 ? 131f : GyroFsSel == 1 ? 65.5f : GyroFsSel == 2 ? 32.8f : 16.4f;
                return 0.0174532925f / lsb;
            }
        }
    }
}
