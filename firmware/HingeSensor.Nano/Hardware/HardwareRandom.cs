using System;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Hardware
{
    /// <summary>
    /// The ESP32's hardware random number generator. nanoFramework's System.Random on ESP32 ignores
    /// any seed and returns esp_random() (nf-interpreter targets/ESP32/_nanoCLR/targetRandom.cpp),
    /// which is true random while the radio is on — it is: pairing happens over BLE.
    /// Next(n) is esp_random() mod n; for n = 5 the bias is below 2^-29.
    /// </summary>
    public sealed class HardwareRandom : IRandomSource
    {
        private readonly Random _random = new Random();

        public int Next(int maxExclusive) { return _random.Next(maxExclusive); }
    }
}
