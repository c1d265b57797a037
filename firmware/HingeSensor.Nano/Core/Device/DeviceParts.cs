using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Nano.Core.Storage;

namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What the hardware glue (or a test) hands the core: the three chips, the motor, the flash, the battery, the random number generator, the BLE bond store.</summary>
    public sealed class DeviceParts
    {
        /// <summary>Indexed by Segment: head (bus 1, 0x68), upper back (bus 1, 0x69), sacrum (bus 2, 0x68).</summary>
        public II2cDevice[] Imus = new II2cDevice[0];
        public IMotor Motor = null!;
        public IFileStore Files = null!;
        public IBattery Battery = null!;

        /// <summary>The hardware RNG: pairing passkeys and each recording's random identity.</summary>
        public IRandomSource Random = null!;

        /// <summary>The BLE stack's bonded hosts (counted and cleared by the pairing rules).</summary>
        public IBondStore Bonds = null!;
        public DeviceIdentity Identity = new DeviceIdentity();

        /// <summary>Directory on the file store for our files, with its separator ("I:\\hinge\\" on the device).</summary>
        public string StorageRoot = "/";
        public ImuSettings Imu = new ImuSettings();
    }
}
