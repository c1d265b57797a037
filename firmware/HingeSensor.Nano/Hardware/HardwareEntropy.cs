using System;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The ESP32's hardware RNG. nanoFramework gives no direct call for it, but its System.Random
    /// is native and on ESP32 draws every value from esp_random() (nf-interpreter,
    /// targets/ESP32/_nanoCLR/targetRandom.cpp; NextBytes takes one call per byte), which is a
    /// true random source while the radio runs — and BLE runs from boot.
    /// </summary>
    public sealed class HardwareEntropy : IEntropy
    {
        private readonly Random _random = new Random();

        public void Fill(byte[] buffer, int offset, int count)
        {
            var bytes = new byte[count]; // once per recording started: the allocation does not matter
            _random.NextBytes(bytes);
            Array.Copy(bytes, 0, buffer, offset, count);
        }
    }
}
