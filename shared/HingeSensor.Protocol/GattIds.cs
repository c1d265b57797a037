namespace HingeSensor.Protocol
{
    /// <summary>
    /// The HingeSensor GATT profile (docs/protocol.md). 128-bit UUIDs share the vendor base
    /// 6f4a0000-8c3b-4e47-9d2a-48494e474501, with the 16-bit id in bytes 2-3.
    /// </summary>
    public static class GattIds
    {
        public const string HingeService = "6f4a0001-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Notify: live frames (orientations, metrics, state), packed to the MTU.</summary>
        public const string Live = "6f4a0002-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Write with response: requests. Notify: responses and events.</summary>
        public const string Control = "6f4a0003-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Read / notify: the configuration in force (written through the control point).</summary>
        public const string Config = "6f4a0004-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Read / notify: battery, sensors, storage, calibration, recording.</summary>
        public const string Status = "6f4a0005-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Notify: session download data.</summary>
        public const string SessionData = "6f4a0006-8c3b-4e47-9d2a-48494e474501";

        /// <summary>Standard Device Information service and its characteristics.</summary>
        public const ushort DeviceInformationService = 0x180A;
        public const ushort ManufacturerName = 0x2A29;
        public const ushort ModelNumber = 0x2A24;
        public const ushort SerialNumber = 0x2A25;
        public const ushort HardwareRevision = 0x2A27;
        public const ushort FirmwareRevision = 0x2A26;

        /// <summary>Standard Battery service: level in percent, read and notify.</summary>
        public const ushort BatteryService = 0x180F;
        public const ushort BatteryLevel = 0x2A19;

        /// <summary>ATT header bytes in a notification: the payload is at most MTU − 3.</summary>
        public const int AttNotifyOverhead = 3;

        /// <summary>The smallest MTU BLE allows (23): 20 bytes of payload.</summary>
        public const int MinimumMtu = 23;
    }
}
