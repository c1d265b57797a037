namespace HingeSensor.Nano.Core.Imu
{
    /// <summary>Outcome of an I2C transfer (nanoFramework returns a result rather than throwing).</summary>
    public enum I2cStatus
    {
        Ok = 0,

        /// <summary>The address or a byte was not acknowledged: the chip is gone or busy.</summary>
        Nack = 1,

        /// <summary>Clock stretching or the bus timed out.</summary>
        Timeout = 2,

        /// <summary>Fewer bytes than asked for, or an unknown bus error.</summary>
        BusError = 3,
    }

    /// <summary>
    /// One chip on an I2C bus. The hardware glue wraps System.Device.I2c; tests put a
    /// register-level model of the MPU6050 behind it.
    /// </summary>
    public interface II2cDevice
    {
        /// <summary>Writes buffer[0 .. count): a register address followed by data.</summary>
        I2cStatus Write(byte[] buffer, int count);

        /// <summary>Writes write[0 .. writeCount) (a register address), then reads readCount bytes into read[0 ..).</summary>
        I2cStatus WriteRead(byte[] write, int writeCount, byte[] read, int readCount);
    }
}
