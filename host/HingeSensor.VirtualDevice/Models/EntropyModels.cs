using System;
using System.Security.Cryptography;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>The ESP32's hardware RNG for the virtual device: the host's own (two runs of the same scenario still record two sessions).</summary>
    public sealed class SystemEntropy : IEntropy
    {
        public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
    }

    /// <summary>A repeatable RNG for tests that need the same bytes every run (or two devices that draw alike).</summary>
    public sealed class SeededEntropy : IEntropy
    {
        private readonly Random _random;

        public SeededEntropy(int seed) => _random = new Random(seed);

        public void Fill(byte[] buffer, int offset, int count) => _random.NextBytes(buffer.AsSpan(offset, count));
    }
}
