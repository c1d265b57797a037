using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.Nano.Bench.Models
{
    /// <summary>
    /// The hardware RNG, as a fixed-seed xorshift: the bench needs draws (a recording's random
    /// identity), not unpredictability, and the same draws every run keep the two runs of a
    /// scenario identical. Allocates nothing.
    /// </summary>
    public sealed class BenchRandom : IRandomSource
    {
        private uint _state = 0x9E3779B9;

        public int Next(int maxExclusive) { return (int)(Step() % (uint)maxExclusive); }

        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++) buffer[offset + i] = (byte)Step();
        }

        private uint Step()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }
    }

    /// <summary>NimBLE's bond store, empty: the bench's host is treated as paired (LinkModel).</summary>
    public sealed class NoBonds : IBondStore
    {
        public int Count { get { return 0; } }

        public void Clear() { }
    }
}
