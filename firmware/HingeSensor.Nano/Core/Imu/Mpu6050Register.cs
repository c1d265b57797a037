namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>MPU-6000/6050 registers we use (Register Map rev 4.2) and their bits.</summary>
    public static class Mpu6050Register
    {
        public const byte SmplrtDiv = 0x19;
        public const byte Config = 0x1A;
        public const byte GyroConfig = 0x1B;
        public const byte AccelConfig = 0x1C;
        public const byte FifoEn = 0x23;
        public const byte IntEnable = 0x38;
        public const byte IntStatus = 0x3A;
        public const byte AccelXoutH = 0x3B;
        public const byte TempOutH = 0x41;
        public const byte SignalPathReset = 0x68;
        public const byte UserCtrl = 0x6A;
        public const byte PwrMgmt1 = 0x6B;
        public const byte FifoCountH = 0x72;
        public const byte FifoRw = 0x74;
        public const byte WhoAmI = 0x75;

        /// <summary>WHO_AM_I of a genuine MPU6050 (the 6-bit address without AD0).</summary>
        public const byte WhoAmIValue = 0x68;

        public const byte PwrDeviceReset = 0x80;

        /// <summary>CLKSEL = 1: PLL with the X gyro as reference (the datasheet's recommendation), SLEEP clear.</summary>
        public const byte PwrClockPllX = 0x01;

        public const byte SignalPathResetAll = 0x07;

        public const byte UserCtrlFifoEnable = 0x40;
        public const byte UserCtrlFifoReset = 0x04;

        /// <summary>FIFO_EN: gyro X, Y, Z and accelerometer → 12-byte frames (accel xyz, gyro xyz).</summary>
        public const byte FifoEnAccelGyro = 0x78;

        public const byte IntFifoOverflow = 0x10;

        public const int FifoSize = 1024;
        public const int FrameBytes = 12;
    }
}
