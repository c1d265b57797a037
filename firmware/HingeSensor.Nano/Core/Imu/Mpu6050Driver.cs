namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>Where a driver is in bringing its chip up.</summary>
    public enum DriverState
    {
        Off = 0,
        Resetting = 1,
        Waking = 2,
        Running = 3,
        Failed = 4,
    }

    /// <summary>
    /// A thin, non-blocking MPU6050 driver: a state machine stepped by <see cref="Service"/> from
    /// the sampling loop (a reset takes 100 ms; waiting for it must not stall the other sensors),
    /// and a FIFO drain that moves whole 12-byte accel+gyro frames into a ring. Written against the
    /// register map rather than the stock binding, whose FIFO setter never sets USER_CTRL.FIFO_EN
    /// and whose scaling breaks when SMPLRT_DIV ≠ 0 (see ../shared/docs/nanoframework-facts.md).
    /// </summary>
    public sealed class Mpu6050Driver
    {
        public const int ResetWaitUs = 100000;
        public const int WakeWaitUs = 50000;

        /// <summary>Frames read in one I2C burst (120 bytes: well inside an ESP32 I2C transaction).</summary>
        public const int FramesPerBurst = 10;

        /// <summary>At most this many frames per service call, so one sensor's backlog cannot hog the loop.</summary>
        public const int MaxFramesPerService = 30;

        /// <summary>Drain result: the FIFO overflowed (frames lost) and was reset.</summary>
        public const int Overflow = -1;

        /// <summary>Drain or init result: an I2C transfer failed.</summary>
        public const int BusFailure = -2;

        private readonly II2cDevice _device;
        private readonly ImuSettings _settings;
        private readonly byte[] _tx = new byte[2];
        private readonly byte[] _rx = new byte[FramesPerBurst * Mpu6050Register.FrameBytes];
        private DriverState _state;
        private long _waitUntilUs;
        private long _nextIndex;
        private long _nextTemperatureUs;

        public Mpu6050Driver(II2cDevice device, ImuSettings settings)
        {
            _device = device;
            _settings = settings;
        }

        public DriverState State { get { return _state; } }
        public ImuSettings Settings { get { return _settings; } }

        /// <summary>FIFO overflows since boot (frames were lost each time).</summary>
        public int Overflows;

        /// <summary>Failed I2C transfers since boot.</summary>
        public int BusErrors;

        /// <summary>Last WHO_AM_I read (for diagnostics).</summary>
        public int WhoAmI;

        /// <summary>Chip temperature, °C (MPU6050: raw / 340 + 36.53), read about once a second.</summary>
        public float TemperatureC;

        /// <summary>Index the next frame from the FIFO will get; restarts at 0 after every (re)start or overflow.</summary>
        public long NextIndex { get { return _nextIndex; } }

        /// <summary>Begins bringing the chip up (from any state): device reset first.</summary>
        public void Start(long nowUs)
        {
            if (Write(Mpu6050Register.PwrMgmt1, Mpu6050Register.PwrDeviceReset) != I2cStatus.Ok)
            {
                _state = DriverState.Failed;
                return;
            }
            _state = DriverState.Resetting;
            _waitUntilUs = nowUs + ResetWaitUs;
        }

        /// <summary>
        /// Steps the driver: advances the start-up sequence, or when running drains the FIFO into
        /// <paramref name="frames"/>. Returns frames read (≥ 0), <see cref="Overflow"/> or
        /// <see cref="BusFailure"/>. A bus failure during start-up moves to Failed.
        /// </summary>
        public int Service(long nowUs, ImuFrameBuffer frames)
        {
            switch (_state)
            {
                case DriverState.Resetting:
                    if (nowUs < _waitUntilUs) return 0;
                    if (Write(Mpu6050Register.PwrMgmt1, Mpu6050Register.PwrClockPllX) != I2cStatus.Ok
                        || Write(Mpu6050Register.SignalPathReset, Mpu6050Register.SignalPathResetAll) != I2cStatus.Ok)
                        return Fail();
                    _state = DriverState.Waking;
                    _waitUntilUs = nowUs + WakeWaitUs;
                    return 0;
                case DriverState.Waking:
                    if (nowUs < _waitUntilUs) return 0;
                    if (!Configure()) return Fail();
                    _state = DriverState.Running;
                    _nextIndex = 0;
                    _nextTemperatureUs = nowUs;
                    return 0;
                case DriverState.Running:
                    return Drain(nowUs, frames);
                default:
                    return 0;
            }
        }

        private int Fail()
        {
            _state = DriverState.Failed;
            return BusFailure;
        }

        private bool Configure()
        {
            if (Read(Mpu6050Register.WhoAmI, 1) != I2cStatus.Ok) return false;
            WhoAmI = _rx[0];
            if ((WhoAmI & 0x7E) != Mpu6050Register.WhoAmIValue) return false;
            byte config = (byte)(_settings.DlpfCfg & 7);
            byte gyro = (byte)(_settings.GyroFsSel << 3);
            byte accel = (byte)(_settings.AccelFsSel << 3);
            if (Write(Mpu6050Register.SmplrtDiv, (byte)_settings.SampleRateDivider) != I2cStatus.Ok) return false;
            if (Write(Mpu6050Register.Config, config) != I2cStatus.Ok) return false;
            if (Write(Mpu6050Register.GyroConfig, gyro) != I2cStatus.Ok) return false;
            if (Write(Mpu6050Register.AccelConfig, accel) != I2cStatus.Ok) return false;
            if (Write(Mpu6050Register.IntEnable, Mpu6050Register.IntFifoOverflow) != I2cStatus.Ok) return false;
            if (Write(Mpu6050Register.FifoEn, Mpu6050Register.FifoEnAccelGyro) != I2cStatus.Ok) return false;
            if (!ResetFifo()) return false;
            // Read the configuration back: a chip that is not what it claims, or a bus that garbles
            // writes, is caught here rather than as wrong angles later.
            if (Read(Mpu6050Register.SmplrtDiv, 4) != I2cStatus.Ok) return false;
            return _rx[0] == (byte)_settings.SampleRateDivider && (_rx[1] & 7) == config && (_rx[2] & 0x18) == gyro && (_rx[3] & 0x18) == accel;
        }

        private bool ResetFifo()
        {
            // FIFO_RESET only acts while FIFO_EN is clear; then enable.
            if (Write(Mpu6050Register.UserCtrl, Mpu6050Register.UserCtrlFifoReset) != I2cStatus.Ok) return false;
            return Write(Mpu6050Register.UserCtrl, Mpu6050Register.UserCtrlFifoEnable) == I2cStatus.Ok;
        }

        private int Drain(long nowUs, ImuFrameBuffer frames)
        {
            if (Read(Mpu6050Register.FifoCountH, 2) != I2cStatus.Ok) return BusFailure;
            int count = (_rx[0] << 8) | _rx[1];
            if (count >= Mpu6050Register.FifoSize - Mpu6050Register.FrameBytes || count % Mpu6050Register.FrameBytes != 0)
            {
                // Full: the chip has been overwriting its oldest bytes, and frames are no longer
                // aligned to 12 bytes. Nothing in it can be trusted: clear the flag, reset, start over.
                Overflows++;
                if (Read(Mpu6050Register.IntStatus, 1) != I2cStatus.Ok) return BusFailure;
                if (!ResetFifo()) return BusFailure;
                _nextIndex = 0;
                return Overflow;
            }
            int available = count / Mpu6050Register.FrameBytes;
            if (available > MaxFramesPerService) available = MaxFramesPerService;
            int read = 0;
            while (read < available)
            {
                int n = available - read;
                if (n > FramesPerBurst) n = FramesPerBurst;
                if (Read(Mpu6050Register.FifoRw, n * Mpu6050Register.FrameBytes) != I2cStatus.Ok) return BusFailure;
                // Kept as raw bytes: decoded only for the two frames each interpolation reads.
                frames.AddRaw(_nextIndex, _rx, 0, n);
                _nextIndex += n;
                read += n;
            }
            if (nowUs >= _nextTemperatureUs)
            {
                _nextTemperatureUs = nowUs + 1000000;
                if (Read(Mpu6050Register.TempOutH, 2) == I2cStatus.Ok) TemperatureC = S16(0) / 340f + 36.53f;
            }
            return read;
        }

        private int S16(int at)
        {
            int v = (_rx[at] << 8) | _rx[at + 1];
            return v >= 0x8000 ? v - 0x10000 : v;
        }

        private I2cStatus Write(byte register, byte value)
        {
            _tx[0] = register;
            _tx[1] = value;
            I2cStatus s = _device.Write(_tx, 2);
            if (s != I2cStatus.Ok) BusErrors++;
            return s;
        }

        private I2cStatus Read(byte register, int count)
        {
            _tx[0] = register;
            I2cStatus s = _device.WriteRead(_tx, 1, _rx, count);
            if (s != I2cStatus.Ok) BusErrors++;
            return s;
        }
    }
}
