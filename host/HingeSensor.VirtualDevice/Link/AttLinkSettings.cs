namespace HingeSensor.VirtualDevice.Link
{
    /// <summary>
    /// How fast the modelled BLE link is. Notifications leave in connection events: at most
    /// <see cref="PacketsPerEvent"/> per event, one event every <see cref="ConnectionIntervalMs"/>.
    /// Defaults are what a Linux laptop (BlueZ) typically grants a peripheral with data-length
    /// extension: 7.5 ms and 6 packets, i.e. 800 notifications/s.
    /// </summary>
    public sealed class AttLinkSettings
    {
        public double ConnectionIntervalMs { get; init; } = 7.5;
        public int PacketsPerEvent { get; init; } = 6;

        /// <summary>The largest MTU the device side accepts (the ESP32 NimBLE default is 256; our buffers hold 247).</summary>
        public int DeviceMaxMtu { get; init; } = 247;

        /// <summary>Payload bytes per second the link can carry at an MTU (notifications only).</summary>
        public double CapacityBytesPerS(int mtu) => (mtu - 3) * PacketsPerEvent * 1000.0 / ConnectionIntervalMs;
    }
}
