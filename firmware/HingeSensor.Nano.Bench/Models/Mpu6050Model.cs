using HingeSensor.Nano.Core.Imu;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>
    /// An MPU6050 at register level, as far as the driver uses it: reset and sleep, the sample-rate,
    /// filter and range registers, FIFO enable and reset, FIFO_COUNT and FIFO_R_W bursts of 12-byte
    /// accel+gyro frames (big-endian, accel xyz then gyro xyz), INT_STATUS with the overflow bit
    /// (cleared when read), WHO_AM_I and the temperature. Frames come at the configured rate on
    /// a virtual clock the bench advances; the values are the wearer's gravity and rotation in the
    /// sensor frame. Preallocated: it never allocates after construction.
    /// </summary>
    public sealed class Mpu6050Model : II2cDevice
    {
        private const int FifoBytes = 1024;
        private readonly byte[] _registers = new byte[128];
        private readonly byte[] _fifo = new byte[FifoBytes];
        private readonly Wearer _wearer;
        private readonly int _segment;
        private int _fifoHead;
        private int _fifoCount;
        private long _clockUs;
        private long _nextSampleUs;

        public Mpu6050Model(Wearer wearer, int segment)
        {
            _wearer = wearer;
            _segment = segment;
            Reset();
        }

        /// <summary>Frames the FIFO lost because nobody read it in time.</summary>
        public int FramesLost;

        private bool Sampling
        {
            get
            {
                return (_registers[Mpu6050Register.PwrMgmt1] & 0x40) == 0
                    && (_registers[Mpu6050Register.UserCtrl] & Mpu6050Register.UserCtrlFifoEnable) != 0
                    && (_registers[Mpu6050Register.FifoEn] & Mpu6050Register.FifoEnAccelGyro) == Mpu6050Register.FifoEnAccelGyro;
            }
        }

        private long PeriodUs { get { return 1000L * (1 + _registers[Mpu6050Register.SmplrtDiv]); } }

        /// <summary>Runs the chip's clock to nowUs: every frame due by then enters the FIFO.</summary>
        public void Advance(long nowUs)
        {
            _clockUs = nowUs;
            if (!Sampling) return;
            while (_nextSampleUs <= nowUs)
            {
                Push(_nextSampleUs);
                _nextSampleUs += PeriodUs;
            }
        }

        public I2cStatus Write(byte[] buffer, int count)
        {
            for (int i = 1; i < count; i++) WriteRegister(buffer[0] + i - 1, buffer[i]);
            return I2cStatus.Ok;
        }

        public I2cStatus WriteRead(byte[] write, int writeCount, byte[] read, int readCount)
        {
            int register = write[0];
            if (register == Mpu6050Register.FifoRw)
            {
                // Block copies, not a loop per byte: on the device the transfer is native, so the
                // model should add as little interpreted work to the measured pass as it can.
                int n = readCount < _fifoCount ? readCount : _fifoCount;
                int first = FifoBytes - _fifoHead;
                if (first > n) first = n;
                System.Array.Copy(_fifo, _fifoHead, read, 0, first);
                if (n > first) System.Array.Copy(_fifo, 0, read, first, n - first);
                if (readCount > n) System.Array.Clear(read, n, readCount - n); // an empty FIFO reads as zeros
                _fifoHead = (_fifoHead + n) % FifoBytes;
                _fifoCount -= n;
                return I2cStatus.Ok;
            }
            for (int i = 0; i < readCount; i++) read[i] = ReadRegister(register + i);
            return I2cStatus.Ok;
        }

        private void Reset()
        {
            System.Array.Clear(_registers, 0, _registers.Length);
            _registers[Mpu6050Register.PwrMgmt1] = 0x40; // SLEEP after reset
            _fifoHead = 0;
            _fifoCount = 0;
        }

        private void WriteRegister(int register, byte value)
        {
            if (register == Mpu6050Register.PwrMgmt1 && (value & Mpu6050Register.PwrDeviceReset) != 0)
            {
                Reset();
                return;
            }
            if (register == Mpu6050Register.UserCtrl)
            {
                bool wasSampling = Sampling;
                if ((value & Mpu6050Register.UserCtrlFifoReset) != 0)
                {
                    _fifoHead = 0;
                    _fifoCount = 0;
                }
                _registers[register] = (byte)(value & ~Mpu6050Register.UserCtrlFifoReset); // the reset bit clears itself
                if (!wasSampling && Sampling) _nextSampleUs = _clockUs + PeriodUs;
                return;
            }
            bool before = Sampling;
            _registers[register] = value;
            if (!before && Sampling) _nextSampleUs = _clockUs + PeriodUs;
        }

        private byte ReadRegister(int register)
        {
            switch (register)
            {
                case Mpu6050Register.WhoAmI: return Mpu6050Register.WhoAmIValue;
                case Mpu6050Register.FifoCountH: return (byte)(_fifoCount >> 8);
                case Mpu6050Register.FifoCountH + 1: return (byte)_fifoCount;
                case Mpu6050Register.IntStatus:
                    {
                        byte s = _registers[register];
                        _registers[register] = 0;
                        return s;
                    }
                case Mpu6050Register.TempOutH: return 0x0A; // 2660 / 340 + 36.53 ≈ 44 °C
                case Mpu6050Register.TempOutH + 1: return 0x64;
                default: return _registers[register];
            }
        }

        private void Push(long timeUs)
        {
            if (_fifoCount + Mpu6050Register.FrameBytes > FifoBytes)
            {
                // The chip overwrites its oldest bytes and flags the overflow.
                _fifoHead = (_fifoHead + Mpu6050Register.FrameBytes) % FifoBytes;
                _fifoCount -= Mpu6050Register.FrameBytes;
                _registers[Mpu6050Register.IntStatus] |= Mpu6050Register.IntFifoOverflow;
                FramesLost++;
            }
            float pitchDeg, rateDps;
            _wearer.Pose(_segment, timeUs, out pitchDeg, out rateDps);
            double pitch = pitchDeg * System.Math.PI / 180;
            int afs = (_registers[Mpu6050Register.AccelConfig] >> 3) & 3;
            int gfs = (_registers[Mpu6050Register.GyroConfig] >> 3) & 3;
            float countsPerMs2 = (16384 >> afs) / Wearer.Gravity;
            float countsPerDps = gfs == 0 ? 131f : gfs == 1 ? 65.5f : gfs == 2 ? 32.8f : 16.4f;
            // Specific force = gravity "up" seen from a sensor tilted forward by pitch about +y.
            Add16((int)(-Wearer.Gravity * (float)System.Math.Sin(pitch) * countsPerMs2));
            Add16(0);
            Add16((int)(Wearer.Gravity * (float)System.Math.Cos(pitch) * countsPerMs2));
            Add16(0);
            Add16((int)(rateDps * countsPerDps));
            Add16(0);
        }

        private void Add16(int v)
        {
            if (v > 32767) v = 32767;
            if (v < -32768) v = -32768;
            int tail = (_fifoHead + _fifoCount) % FifoBytes;
            _fifo[tail] = (byte)(v >> 8);
            _fifo[(tail + 1) % FifoBytes] = (byte)v;
            _fifoCount += 2;
        }
    }
}
