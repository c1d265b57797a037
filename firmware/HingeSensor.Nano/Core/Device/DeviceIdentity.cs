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
        public int FirmwareMinor = 2; // 1.2: coaching (activity context, rep shape, cues; config record 2, rep records with shape); 1.1: records with checks, session digests and random identities, pairing windows
        public int FirmwarePatch = 0;

        public string FirmwareRevision
        {
            get { return FirmwareMajor.ToString() + "." + FirmwareMinor.ToString() + "." + FirmwarePatch.ToString(); }
        }
    }
}
