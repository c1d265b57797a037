using System;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>A repeatable RNG for tests that need the same draws every run (passkeys, session identities).</summary>
    public sealed class SeededRandom : IRandomSource
    {
        private readonly Random _random;

        public SeededRandom(int seed) { _random = new Random(seed); }

        public int Next(int maxExclusive) { lock (_random) return _random.Next(maxExclusive); }

        public void Fill(byte[] buffer, int offset, int count) { lock (_random) _random.NextBytes(buffer.AsSpan(offset, count)); }
    }
}
