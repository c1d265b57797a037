namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// Where the pairing passkey's randomness comes from: the ESP32's hardware random number
    /// generator on the device (Hardware/HardwareRandom), a model in tests.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>A uniformly drawn integer in [0, <paramref name="maxExclusive"/>).</summary>
        int Next(int maxExclusive);
    }
}
