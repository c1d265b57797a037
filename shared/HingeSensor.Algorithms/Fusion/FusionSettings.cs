namespace HingeSensor.Algorithms.Fusion
{
    /// <summary>
    /// Parameters of <see cref="OrientationFilter"/>. The defaults were chosen on the BROAD
    /// benchmark (see README) and hold for the MPU6050 at 100 Hz as well.
    /// </summary>
    /// <remarks>
    /// Five defaults are VQF's published defaults, kept because BROAD confirmed them:
    /// <see cref="AccelTimeConstantS"/> (VQF tauAcc = 3 s), <see cref="RestGyroThresholdDps"/>
    /// (restThGyr = 2 °/s), <see cref="RestAccelThreshold"/> (restThAcc = 0.5 m/s²),
    /// <see cref="RestMinDurationS"/> (restMinT = 1.5 s) and <see cref="RestFilterTimeConstantS"/>
    /// (restFilterTau = 0.5 s). Source: D. Laidig, T. Seel, "VQF: Highly accurate IMU orientation
    /// estimation with bias estimation and magnetic disturbance rejection", Information Fusion 91
    /// (2023) 187–204, doi:10.1016/j.inffus.2022.10.014, and the VQFParams defaults of the authors'
    /// reference implementation (github.com/dlaidig/vqf). The rest — the clipping handling, the
    /// bias time constants and limit — are ours.
    /// </remarks>
    public sealed class FusionSettings
    {
        /// <summary>
        /// Time constant, in seconds, of the low-pass filter applied to the accelerometer in the
        /// gyro-integrated (almost inertial) frame. Linear accelerations average out there while
        /// gravity stays put, so a larger value rejects more of them but lets gyro errors live
        /// longer. Default 3 s.
        /// </summary>
        public float AccelTimeConstantS = 3f;

        /// <summary>
        /// Time constant, in seconds, the accelerometer filter falls back to while the gyroscope is
        /// clipped (its integral is then wrong and the accelerometer is the better witness) and for
        /// <see cref="ClipRecoveryS"/> afterwards. Default 0.3 s: a 45° integration error is
        /// down to under half a degree 1.5 s after the clip.
        /// </summary>
        public float ClipAccelTimeConstantS = 0.3f;

        /// <summary>How long, in seconds, the fast correction stays on after the last clipped gyro sample. Default 2 s.</summary>
        public float ClipRecoveryS = 2f;

        /// <summary>
        /// Rest detection, gyroscope: deviation of the rate from its low-passed value, in °/s,
        /// under which the sensor may be at rest. Default 2 °/s.
        /// </summary>
        public float RestGyroThresholdDps = 2f;

        /// <summary>
        /// Rest detection, accelerometer: deviation of the specific force from its low-passed value,
        /// in m/s², under which the sensor may be at rest. Default 0.5 m/s².
        /// </summary>
        public float RestAccelThreshold = 0.5f;

        /// <summary>Both rest conditions must hold this long, in seconds, before rest is declared. Default 1.5 s.</summary>
        public float RestMinDurationS = 1.5f;

        /// <summary>Time constant, in seconds, of the low-pass filters rest detection compares against. Default 0.5 s.</summary>
        public float RestFilterTimeConstantS = 0.5f;

        /// <summary>
        /// Time constant, in seconds, with which the gyro bias estimate follows the mean rate while
        /// at rest. Default 1 s: a few seconds of stillness pin the bias to ~0.01 °/s.
        /// </summary>
        public float RestBiasTimeConstantS = 1f;

        /// <summary>
        /// Time constant, in seconds, of the gyro bias estimation during motion: the accelerometer's
        /// inclination correction, taken back into the sensor frame through the same low-pass, is
        /// integrated into the bias. Must stay well above <see cref="AccelTimeConstantS"/> for a
        /// quiet loop; MEMS bias drifts with temperature over minutes. 0 disables it. Default 20 s
        /// (on BROAD: 10 s 0.757°, 20 s 0.769°, 30 s 0.776°, off 0.797° mean RMSE).
        /// </summary>
        public float MotionBiasTimeConstantS = 20f;

        /// <summary>
        /// The bias estimate is limited to this magnitude per axis, in °/s (larger offsets are a
        /// fault, not a bias). Default 20 °/s: the MPU6050's zero-rate offset tolerance, and
        /// nothing trims it before the filter (the 3 °/s VQF-like limit this replaced left a
        /// simulated 3.8 °/s axis unlearned and a head 13° off). Turns slow enough to pass for rest
        /// are kept out of the bias by how rests are used (<see cref="OrientationFilter"/>), not by this limit.
        /// </summary>
        public float BiasLimitDps = 20f;
    }
}
