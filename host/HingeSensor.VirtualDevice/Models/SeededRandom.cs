using System;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>The virtual device's random number generator: seeded, so a scenario and seed replay the same passkeys.</summary>
    public sealed class SeededRandom : IRandomSource
    {
        private readonly Random _random;

        public SeededRandom(int seed) { _random = new Random(seed); }

        public int Next(int maxExclusive) { lock (_random) return _random.Next(maxExclusive); }
    }
}
