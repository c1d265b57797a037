using HingeSensor.Nano.Core.Imu;

namespace HingeSensor.Nano.Bench
{
    /// <summary>
    /// For the models-only run: starts the chip models and empties their FIFOs each pass, the least
    /// a driver does, so the models run as they do under the core.
    /// </summary>
    public sealed class FifoReader
    {
        private readonly II2cDevice[] _chips;
        private readonly byte[] _tx = new byte[2];
        private readonly byte[] _rx = new byte[Mpu6050Register.FifoSize];

        public FifoReader(II2cDevice[] chips)
        {
            _chips = chips;
            for (int i = 0; i < chips.Length; i++)
            {
                Set(chips[i], Mpu6050Register.PwrMgmt1, Mpu6050Register.PwrClockPllX);
                Set(chips[i], Mpu6050Register.SmplrtDiv, 9);
                Set(chips[i], Mpu6050Register.FifoEn, Mpu6050Register.FifoEnAccelGyro);
                Set(chips[i], Mpu6050Register.UserCtrl, Mpu6050Register.UserCtrlFifoEnable);
            }
        }

        public void Drain()
        {
            for (int i = 0; i < _chips.Length; i++)
            {
                _tx[0] = Mpu6050Register.FifoCountH;
                _chips[i].WriteRead(_tx, 1, _rx, 2);
                int count = (_rx[0] << 8) | _rx[1];
                _tx[0] = Mpu6050Register.FifoRw;
                if (count > 0) _chips[i].WriteRead(_tx, 1, _rx, count);
            }
        }

        private void Set(II2cDevice chip, byte register, byte value)
        {
            _tx[0] = register;
            _tx[1] = value;
            chip.Write(_tx, 2);
        }
    }
}
