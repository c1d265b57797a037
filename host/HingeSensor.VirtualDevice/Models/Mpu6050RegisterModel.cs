using System;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Simulation.Geometry;
using HingeSensor.Simulation.Sensors;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>
    /// An MPU6050 as the I2C bus sees it (Register Map rev 4.2): a register file, a 1024-byte FIFO
    /// that overwrites its oldest bytes when full and flags the overflow, burst reads that
    /// auto-increment except on FIFO_R_W, a device reset that puts the chip to sleep, and the
    /// configuration registers deciding what the simulated chip (range, filter, rate) produces.
    /// Faults can be injected: unplugged (every transfer NACKed), NACK bursts, a power cycle.
    /// Nothing allocates per transfer or tick.
    /// </summary>
    public sealed class Mpu6050RegisterModel : II2cDevice
    {
        private readonly byte[] _regs = new byte[128];
        private readonly byte[] _fifo = new byte[Mpu6050Register.FifoSize];
        private readonly int _seed;
        private readonly double _clockErrorPpmSd;
        private readonly bool _imperfect;
        private Mpu6050Model? _chip;
        private int _fifoHead;
        private int _fifoCount;
        private bool _configDirty = true;
        private int _nackBurst;

        public Mpu6050RegisterModel(int seed, double clockErrorPpmSd = 2000, bool imperfect = true)
        {
            _seed = seed;
            _clockErrorPpmSd = clockErrorPpmSd;
            _imperfect = imperfect;
            PowerOn();
        }

        /// <summary>What WHO_AM_I answers (0x68 for a genuine MPU6050; clones differ).</summary>
        public byte WhoAmI = Mpu6050Register.WhoAmIValue;

        /// <summary>Every transfer fails with a NACK (cable pulled).</summary>
        public bool Unplugged;

        /// <summary>Transfers served, and how many were NACKed.</summary>
        public int Transfers, Nacked;

        /// <summary>Frames lost to FIFO overflow (overwritten before being read).</summary>
        public int OverflowedFrames;

        /// <summary>The simulated chip behind the registers (recreated when its configuration changes).</summary>
        public Mpu6050Model? Chip => _chip;

        public double ClockError => _chip?.ClockError ?? 0;

        public byte Register(int address) => _regs[address];
        public int FifoCount => _fifoCount;

        /// <summary>The next n transfers fail.</summary>
        public void NackNext(int n) => _nackBurst = n;

        /// <summary>A brown-out: the chip restarts in its power-on state (asleep, FIFO off).</summary>
        public void PowerOn()
        {
            Array.Clear(_regs);
            _regs[Mpu6050Register.PwrMgmt1] = 0x40; // SLEEP
            _fifoHead = 0;
            _fifoCount = 0;
            _configDirty = true;
        }

        private bool Asleep => (_regs[Mpu6050Register.PwrMgmt1] & 0x40) != 0;
        private bool FifoEnabled => (_regs[Mpu6050Register.UserCtrl] & Mpu6050Register.UserCtrlFifoEnable) != 0
                                    && (_regs[Mpu6050Register.FifoEn] & Mpu6050Register.FifoEnAccelGyro) == Mpu6050Register.FifoEnAccelGyro;

        private bool Refuse()
        {
            Transfers++;
            if (Unplugged || _nackBurst > 0)
            {
                if (_nackBurst > 0) _nackBurst--;
                Nacked++;
                return true;
            }
            return false;
        }

        public I2cStatus Write(byte[] buffer, int count)
        {
            if (Refuse()) return I2cStatus.Nack;
            if (count < 1) return I2cStatus.BusError;
            int reg = buffer[0];
            for (int i = 1; i < count; i++) WriteRegister((reg + i - 1) & 0x7F, buffer[i]);
            return I2cStatus.Ok;
        }

        public I2cStatus WriteRead(byte[] write, int writeCount, byte[] read, int readCount)
        {
            if (Refuse()) return I2cStatus.Nack;
            if (writeCount < 1) return I2cStatus.BusError;
            int reg = write[0];
            for (int i = 1; i < writeCount; i++) WriteRegister((reg + i - 1) & 0x7F, write[i]);
            for (int i = 0; i < readCount; i++)
            {
                if (reg == Mpu6050Register.FifoRw) read[i] = PopFifo();
                else
                {
                    read[i] = ReadRegister(reg);
                    reg = (reg + 1) & 0x7F;
                }
            }
            return I2cStatus.Ok;
        }

        private void WriteRegister(int reg, byte value)
        {
            switch (reg)
            {
                case Mpu6050Register.PwrMgmt1:
                    if ((value & Mpu6050Register.PwrDeviceReset) != 0)
                    {
                        PowerOn();
                        return;
                    }
                    _regs[reg] = value;
                    return;
                case Mpu6050Register.UserCtrl:
                    // FIFO_RESET acts when written with FIFO_EN = 0 (register map, USER_CTRL).
                    if ((value & Mpu6050Register.UserCtrlFifoReset) != 0 && (value & Mpu6050Register.UserCtrlFifoEnable) == 0)
                    {
                        _fifoHead = 0;
                        _fifoCount = 0;
                    }
                    _regs[reg] = (byte)(value & ~Mpu6050Register.UserCtrlFifoReset); // self-clearing bit
                    return;
                case Mpu6050Register.SmplrtDiv:
                case Mpu6050Register.Config:
                case Mpu6050Register.GyroConfig:
                case Mpu6050Register.AccelConfig:
                    _regs[reg] = value;
                    _configDirty = true;
                    return;
                case Mpu6050Register.WhoAmI:
                case Mpu6050Register.IntStatus:
                case Mpu6050Register.FifoCountH:
                case Mpu6050Register.FifoCountH + 1:
                    return; // read-only
                default:
                    _regs[reg] = value;
                    return;
            }
        }

        private byte ReadRegister(int reg)
        {
            switch (reg)
            {
                case Mpu6050Register.FifoCountH: return (byte)(_fifoCount >> 8);
                case Mpu6050Register.FifoCountH + 1: return (byte)_fifoCount;
                case Mpu6050Register.IntStatus:
                    byte s = _regs[reg];
                    _regs[reg] = 0; // cleared by reading
                    return s;
                case Mpu6050Register.WhoAmI: return WhoAmI;
                default: return _regs[reg];
            }
        }

        private byte PopFifo()
        {
            if (_fifoCount == 0) return 0xFF;
            byte b = _fifo[_fifoHead];
            _fifoHead = (_fifoHead + 1) % _fifo.Length;
            _fifoCount--;
            return b;
        }

        private void PushFifo(byte b)
        {
            if (_fifoCount == _fifo.Length)
            {
                // Full: the oldest byte is overwritten (which breaks the 12-byte frame alignment).
                _fifoHead = (_fifoHead + 1) % _fifo.Length;
                _fifoCount--;
                _regs[Mpu6050Register.IntStatus] |= Mpu6050Register.IntFifoOverflow;
            }
            _fifo[(_fifoHead + _fifoCount) % _fifo.Length] = b;
            _fifoCount++;
        }

        /// <summary>
        /// One millisecond of the chip's life: the true specific force (m/s²) and rate (rad/s) in
        /// its frame. When awake the simulated chip samples on its own clock; each sample goes to
        /// the data registers and, when the FIFO is enabled, into the FIFO.
        /// </summary>
        public void Tick(double t, Vec3 specificForce, Vec3 rate)
        {
            if (Asleep) return;
            if (_configDirty) Reconfigure();
            if (!_chip!.Tick(t, specificForce, rate, out ChipSample s)) return;
            Span<short> v = stackalloc short[] { s.Ax, s.Ay, s.Az, s.Temp, s.Gx, s.Gy, s.Gz };
            for (int i = 0; i < 7; i++)
            {
                _regs[Mpu6050Register.AccelXoutH + 2 * i] = (byte)(v[i] >> 8);
                _regs[Mpu6050Register.AccelXoutH + 2 * i + 1] = (byte)v[i];
            }
            if (!FifoEnabled) return;
            bool wasFull = _fifoCount > _fifo.Length - Mpu6050Register.FrameBytes;
            PushWord(s.Ax); PushWord(s.Ay); PushWord(s.Az);
            PushWord(s.Gx); PushWord(s.Gy); PushWord(s.Gz);
            if (wasFull) OverflowedFrames++;
        }

        private void PushWord(short v)
        {
            PushFifo((byte)(v >> 8));
            PushFifo((byte)v);
        }

        // The registers decide what the chip produces: rate divider, DLPF, full scales.
        private void Reconfigure()
        {
            int div = _regs[Mpu6050Register.SmplrtDiv];
            int dlpf = _regs[Mpu6050Register.Config] & 7;
            int fsSel = (_regs[Mpu6050Register.GyroConfig] >> 3) & 3;
            int afsSel = (_regs[Mpu6050Register.AccelConfig] >> 3) & 3;
            var config = new Mpu6050Config
            {
                RateHz = 1000.0 / (1 + div),
                DlpfCfg = dlpf == 0 ? 1 : dlpf == 7 ? 6 : dlpf,
                GyroRangeDps = 250 << fsSel,
                AccelRangeG = 2 << afsSel,
                ClockErrorPpmSd = _clockErrorPpmSd,
                Imperfect = _imperfect,
            };
            _chip = new Mpu6050Model(config, _seed);
            _configDirty = false;
        }
    }
}
