namespace HingeSensor.Nano.Core.Device
{
    /// <summary>
    /// Unpredictable bytes: the random identity a session draws when it starts, so that two
    /// recordings never share one even when ids restart (flash wiped). On the ESP32 the hardware
    /// RNG; in tests and the virtual device, models of it.
    /// </summary>
    public interface IEntropy
    {
        void Fill(byte[] buffer, int offset, int count);
    }
}
