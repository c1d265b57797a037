namespace HingeSensor.Nano.Core.Device
{
    /// <summary>What the Device Information service says, and what session headers record.</summary>
    public sealed class DeviceIdentity
    {
        public string Manufacturer = "HingeSensor";
        public string Model = "HS-1";
        public string Serial = "HS1-000000";
        public string HardwareRevision = "A";
        public int FirmwareMajor = 1;
        public int FirmwareMinor = 1; // 1.1: records with checks, sessions with digests and random identities, pairing windows (1.0 had none)
        public int FirmwarePatch = 0;

        public string FirmwareRevision
        {
            get { return FirmwareMajor.ToString() + "." + FirmwareMinor.ToString() + "." + FirmwarePatch.ToString(); }
        }
    }
}
