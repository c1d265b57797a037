namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// The device's randomness: the pairing passkeys, and the identity each recording draws when it
    /// starts (so that two recordings never share one, even when ids restart after a wiped flash).
    /// The ESP32's hardware random number generator on the device (Hardware/HardwareRandom),
    /// models in tests and the virtual device.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>A uniformly drawn integer in [0, <paramref name="maxExclusive"/>).</summary>
        int Next(int maxExclusive);

        /// <summary>Fills <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> with random bytes.</summary>
        void Fill(byte[] buffer, int offset, int count);
    }
}
