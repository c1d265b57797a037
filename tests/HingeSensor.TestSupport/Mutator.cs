using System;
using System.Collections.Generic;
using System.Text;

namespace HingeSensor.TestSupport
{
    /// <summary>One mutated input and how it was made (printed with a failure, so the case reproduces).</summary>
    public readonly record struct Mutation(byte[] Bytes, string Description);

    /// <summary>
    /// Seeded mutations of a valid encoding, for the decoder fuzz campaigns: bit flips, bytes set
    /// to values decoders trip on (0, 0x7F, 0x80, 0xFF, and −1, 0x7FFF, 2³¹−1 … as 16- and 32-bit
    /// words, where lengths and counts live), truncation, extension, insertion, removal,
    /// duplication, splicing with another valid input, and plain random bytes. Case i of seed s is
    /// the same on every machine and run: <c>new Mutator(s).Next(valid, i)</c> gives it back.
    /// </summary>
    public sealed class Mutator
    {
        private static readonly byte[] EdgeBytes = { 0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF };
        private static readonly uint[] EdgeWords = { 0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF };

        public Mutator(int seed) => Seed = seed;

        public int Seed { get; }

        /// <summary>Where case <paramref name="index"/> comes from, for a failure message.</summary>
        public string Reproduce(int index) => $"seed {Seed} case {index} (new Mutator({Seed}).Next(valid, {index}))";

        /// <summary>
        /// Case <paramref name="index"/>: one to four mutations stacked on <paramref name="valid"/>
        /// (or a random input of about its length); <paramref name="other"/>, when given, is what a
        /// splice takes its tail from. Never returns the valid input unchanged.
        /// </summary>
        public Mutation Next(byte[] valid, int index, byte[]? other = null)
        {
            var rng = new Random(unchecked(Seed * 1_000_003 + index * 7_919));
            var said = new StringBuilder();
            var b = new List<byte>(valid);
            if (rng.Next(16) == 0)
            {
                int n = rng.Next(0, 2 * valid.Length + 2);
                var random = new byte[n];
                rng.NextBytes(random);
                b = new List<byte>(random);
                said.Append($"random {n} bytes");
            }
            else
            {
                int ops = 1 + (rng.Next(4) == 0 ? rng.Next(1, 4) : 0);
                for (int k = 0; k < ops; k++)
                {
                    if (said.Length > 0) said.Append("; ");
                    Apply(b, rng, said, other ?? valid);
                }
            }
            byte[] bytes = b.ToArray();
            if (bytes.AsSpan().SequenceEqual(valid))
            {
                // A no-op (a byte set to its own value, a splice of equal tails): flip a bit instead.
                if (bytes.Length == 0) bytes = new byte[] { (byte)rng.Next(256) };
                else
                {
                    int p = rng.Next(bytes.Length), bit = rng.Next(8);
                    bytes[p] ^= (byte)(1 << bit);
                    said.Append($"; flip {p}.{bit}");
                }
            }
            return new Mutation(bytes, said.ToString());
        }

        private static void Apply(List<byte> b, Random rng, StringBuilder said, byte[] other)
        {
            int op = rng.Next(10);
            if (b.Count == 0) op = 5; // only growing makes sense
            switch (op)
            {
                case 0:
                case 1:
                    {
                        int p = rng.Next(b.Count), bit = rng.Next(8);
                        b[p] ^= (byte)(1 << bit);
                        said.Append($"flip {p}.{bit}");
                        break;
                    }
                case 2:
                    {
                        int p = rng.Next(b.Count);
                        byte v = rng.Next(3) == 0 ? (byte)rng.Next(256) : EdgeBytes[rng.Next(EdgeBytes.Length)];
                        b[p] = v;
                        said.Append($"set {p}=0x{v:x2}");
                        break;
                    }
                case 3:
                    {
                        // A 16- or 32-bit little-endian word: where stated lengths, counts and offsets live.
                        int width = rng.Next(2) == 0 ? 2 : 4;
                        int p = rng.Next(b.Count);
                        uint v = EdgeWords[rng.Next(EdgeWords.Length)];
                        if (rng.Next(4) == 0) v = unchecked(v + (uint)rng.Next(-2, 3));
                        for (int i = 0; i < width && p + i < b.Count; i++) b[p + i] = (byte)(v >> (8 * i));
                        said.Append($"word{width * 8} {p}=0x{v:x}");
                        break;
                    }
                case 4:
                    {
                        int n = rng.Next(b.Count);
                        b.RemoveRange(n, b.Count - n);
                        said.Append($"truncate to {n}");
                        break;
                    }
                case 5:
                    {
                        int n = rng.Next(1, 1 + Math.Max(4, b.Count / 2));
                        var extra = new byte[n];
                        rng.NextBytes(extra);
                        b.AddRange(extra);
                        said.Append($"extend by {n}");
                        break;
                    }
                case 6:
                    {
                        int p = rng.Next(b.Count + 1), n = rng.Next(1, 9);
                        var extra = new byte[n];
                        rng.NextBytes(extra);
                        b.InsertRange(p, extra);
                        said.Append($"insert {n} at {p}");
                        break;
                    }
                case 7:
                    {
                        int p = rng.Next(b.Count), n = rng.Next(1, Math.Min(9, b.Count - p + 1));
                        b.RemoveRange(p, n);
                        said.Append($"remove {n} at {p}");
                        break;
                    }
                case 8:
                    {
                        int p = rng.Next(b.Count), n = rng.Next(1, Math.Min(17, b.Count - p + 1)), to = rng.Next(b.Count + 1);
                        b.InsertRange(to, b.GetRange(p, n));
                        said.Append($"duplicate {n} at {p} to {to}");
                        break;
                    }
                default:
                    {
                        // The head of this input, the tail of the other (or of itself, shifted).
                        int cut = rng.Next(b.Count + 1), from = rng.Next(other.Length + 1);
                        b.RemoveRange(cut, b.Count - cut);
                        b.AddRange(other.AsSpan(from).ToArray());
                        said.Append($"splice at {cut} with the other from {from}");
                        break;
                    }
            }
        }
    }
}
