using System;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The ESP32's hardware random number generator. nanoFramework gives no direct call for it, but
    /// its System.Random is native and on ESP32 ignores any seed and draws every value from
    /// esp_random() (nf-interpreter targets/ESP32/_nanoCLR/targetRandom.cpp; NextBytes takes one
    /// call per byte), which is true random while the radio is on — and BLE runs from boot.
    /// Next(n) is esp_random() mod n; for n = 5 the bias is below 2^-29.
    /// </summary>
    public sealed class HardwareRandom : IRandomSource
    {
        private readonly Random _random = new Random();

        public int Next(int maxExclusive) { return _random.Next(maxExclusive); }

        public void Fill(byte[] buffer, int offset, int count)
        {
            var bytes = new byte[count]; // once per recording started: the allocation does not matter
            _random.NextBytes(bytes);
            Array.Copy(bytes, 0, buffer, offset, count);
        }
    }
}
