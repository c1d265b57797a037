using System;

namespace HingeSensor.Simulation.Sensors
{
    /// <summary>
    /// MPU-6050 settings and datasheet figures (Product Specification rev 3.4, Register Map rev 4.2).
    /// </summary>
    public sealed record Mpu6050Config
    {
        public const double StandardGravity = 9.80665;

        /// <summary>±2, 4, 8 or 16 g (ACCEL_CONFIG.AFS_SEL).</summary>
        public int AccelRangeG { get; init; } = 8;

        /// <summary>±250, 500, 1000 or 2000 °/s (GYRO_CONFIG.FS_SEL).</summary>
        public int GyroRangeDps { get; init; } = 1000;

        /// <summary>CONFIG.DLPF_CFG 0-6. With 1-6 the internal rate is 1 kHz.</summary>
        public int DlpfCfg { get; init; } = 3;

        /// <summary>Output data rate, Hz: 1 kHz / (1 + SMPLRT_DIV).</summary>
        public double RateHz { get; init; } = 100;

        /// <summary>Spread (1 σ) of the per-chip sample clock error, ppm (datasheet: ±1 % over temperature).</summary>
        public double ClockErrorPpmSd { get; init; } = 2000;

        /// <summary>false: an ideal sensor (exact, unquantised) for physics tests.</summary>
        public bool Imperfect { get; init; } = true;

        public double AccelLsbPerG => 16384.0 / (AccelRangeG / 2);
        /// <summary>Datasheet sensitivity: 131, 65.5, 32.8, 16.4 LSB/(°/s).</summary>
        public double GyroLsbPerDps => GyroRangeDps switch { 250 => 131, 500 => 65.5, 1000 => 32.8, _ => 16.4 };

        // Noise densities: accelerometer 400 µg/√Hz, gyroscope 0.005 °/s/√Hz.
        public const double AccelNoiseDensityG = 400e-6;
        public const double GyroNoiseDensityDps = 0.005;

        /// <summary>(accelerometer, gyroscope) bandwidth in Hz for DLPF_CFG (register map, CONFIG).</summary>
        public (double Accel, double Gyro) Bandwidth => DlpfCfg switch
        {
            0 => (260, 256), 1 => (184, 188), 2 => (94, 98), 3 => (44, 42), 4 => (21, 20), 5 => (10, 10), 6 => (5, 5),
            _ => throw new ArgumentException($"dlpf_cfg {DlpfCfg} outside 0-6"),
        };

        public int SampleRateDivider => (int)Math.Round(1000.0 / RateHz) - 1;

        public void Validate()
        {
            if (AccelRangeG is not (2 or 4 or 8 or 16)) throw new ArgumentException($"accel_range_g {AccelRangeG}: expected 2, 4, 8 or 16");
            if (GyroRangeDps is not (250 or 500 or 1000 or 2000)) throw new ArgumentException($"gyro_range_dps {GyroRangeDps}: expected 250, 500, 1000 or 2000");
            if (DlpfCfg < 1 || DlpfCfg > 6) throw new ArgumentException($"dlpf_cfg {DlpfCfg}: expected 1-6 (the 1 kHz internal rate)");
            double div = 1000.0 / RateHz - 1;
            if (RateHz <= 0 || div < 0 || div > 255 || Math.Abs(div - Math.Round(div)) > 1e-9)
                throw new ArgumentException($"rate_hz {RateHz}: must be 1000/(1+n) for a whole n in 0-255 (e.g. 100, 125, 200, 250)");
        }
    }
}
