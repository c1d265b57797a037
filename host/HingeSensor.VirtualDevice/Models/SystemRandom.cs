using System;
using System.Security.Cryptography;
using HingeSensor.Nano.Core.Device;

namespace HingeSensor.VirtualDevice.Models
{
    /// <summary>
    /// The ESP32's hardware RNG for the virtual device: the host's own, so that two runs of the same
    /// scenario still record two sessions and a passkey cannot be guessed from the seed.
    /// </summary>
    public sealed class SystemRandom : IRandomSource
    {
        public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);

        public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
    }
}
