using System;
using System.Device.I2c;
using HingeSensor.Nano.Core.Imu;
using nanoFramework.Hardware.Esp32;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// One MPU6050 on one of the ESP32's two I2C controllers (bus 1 or 2), as the core's
    /// <see cref="II2cDevice"/>. The driver logic lives in Core/Imu/Mpu6050Driver; this only moves
    /// bytes and turns nanoFramework's transfer result into <see cref="I2cStatus"/>.
    /// </summary>
    public sealed class I2cImu : II2cDevice
    {
        private readonly I2cDevice _device;

        /// <param name="bus">1 or 2 (ESP32 I2C_NUM_0 / I2C_NUM_1); assign its pins first with <see cref="AssignBusPins"/>.</param>
        /// <param name="address">0x68, or 0x69 with AD0 pulled high.</param>
        public I2cImu(int bus, int address)
        {
            // 400 kHz: a 10-frame FIFO burst (120 bytes) takes ~3 ms, three of them fit a 10 ms loop.
            _device = I2cDevice.Create(new I2cConnectionSettings(bus, address, I2cBusSpeed.FastMode));
        }

        /// <summary>
        /// Routes a bus to its pins. The ESP32 native driver reads the pins from the device map when
        /// the first device on the bus is created, so this must come before the constructor.
        /// </summary>
        public static void AssignBusPins(int bus, int dataPin, int clockPin)
        {
            Configuration.SetPinFunction(dataPin, bus == 1 ? DeviceFunction.I2C1_DATA : DeviceFunction.I2C2_DATA);
            Configuration.SetPinFunction(clockPin, bus == 1 ? DeviceFunction.I2C1_CLOCK : DeviceFunction.I2C2_CLOCK);
        }

        public I2cStatus Write(byte[] buffer, int count)
        {
            try
            {
                // nanoFramework's I2C API takes SpanByte structs and returns an I2cTransferResult
                // struct, and on nanoCLR every struct copy is a heap object: about 5 allocations
                // (~230 bytes on the ESP32) per transfer, measured on nanoCLR with a stand-in of
                // these signatures (firmware README, "Device costs"). The API offers nothing
                // else; the driver keeps transfers few instead (FIFO drained every other pass).
                return Map(_device.Write(new SpanByte(buffer, 0, count)));
            }
            catch (Exception)
            {
                // The native layer throws (instead of returning a status) for driver-level failures.
                return I2cStatus.BusError;
            }
        }

        public I2cStatus WriteRead(byte[] write, int writeCount, byte[] read, int readCount)
        {
            try
            {
                return Map(_device.WriteRead(new SpanByte(write, 0, writeCount), new SpanByte(read, 0, readCount)));
            }
            catch (Exception)
            {
                return I2cStatus.BusError;
            }
        }

        private static I2cStatus Map(I2cTransferResult result)
        {
            switch (result.Status)
            {
                case I2cTransferStatus.FullTransfer: return I2cStatus.Ok;
                case I2cTransferStatus.SlaveAddressNotAcknowledged: return I2cStatus.Nack;
                case I2cTransferStatus.ClockStretchTimeout: return I2cStatus.Timeout;
                default: return I2cStatus.BusError; // PartialTransfer or UnknownError: the frame cannot be trusted
            }
        }
    }
}
