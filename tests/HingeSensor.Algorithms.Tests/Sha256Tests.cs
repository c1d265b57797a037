using System;
using System.Security.Cryptography;
using HingeSensor.Protocol;
using Xunit;

namespace HingeSensor.Algorithms.Tests
{
    /// <summary>Our SHA-256 (the device has none) against the BCL's, in one go and stepped as the device runs it.</summary>
    public class Sha256Tests
    {
        private static byte[] Ours(byte[] data)
        {
            var sha = new Sha256();
            sha.Update(data, 0, data.Length);
            var digest = new byte[Sha256.DigestBytes];
            sha.Finish(digest, 0);
            return digest;
        }

        [Fact]
        public void The_FIPS_180_examples_hash_to_their_published_digests()
        {
            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Ours("abc"u8.ToArray())));
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(Ours(Array.Empty<byte>())));
            Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                Convert.ToHexStringLower(Ours("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8.ToArray())));
        }

        [Fact]
        public void Every_length_up_to_three_blocks_and_random_inputs_hash_as_the_BCL_does()
        {
            var rng = new Random(180_4);
            for (int n = 0; n <= 3 * Sha256.BlockBytes + 1; n++)
            {
                var data = new byte[n];
                rng.NextBytes(data);
                Assert.Equal(SHA256.HashData(data), Ours(data));
            }
            for (int k = 0; k < 200; k++)
            {
                var data = new byte[rng.Next(0, 70_000)];
                rng.NextBytes(data);
                Assert.Equal(SHA256.HashData(data), Ours(data));
            }
        }

        [Fact]
        public void Fed_in_random_pieces_and_compressed_eight_rounds_at_a_time_it_gives_the_same_digest()
        {
            // How the device runs it: bytes only while no block is pending, one Step per main-loop pass.
            var rng = new Random(7);
            for (int k = 0; k < 50; k++)
            {
                var data = new byte[rng.Next(0, 5_000)];
                rng.NextBytes(data);
                var sha = new Sha256();
                int at = 0, steps = 0;
                var padding = new byte[Sha256.MaxPaddingBytes];
                int padLength = Sha256.Padding(data.Length, padding, 0), padAt = 0;
                while (at < data.Length || padAt < padLength || sha.Pending)
                {
                    if (sha.Pending)
                    {
                        sha.Step();
                        steps++;
                    }
                    else if (at < data.Length) at += sha.Feed(data, at, Math.Min(rng.Next(1, 100), data.Length - at));
                    else padAt += sha.Feed(padding, padAt, padLength - padAt);
                }
                var digest = new byte[Sha256.DigestBytes];
                sha.ReadDigest(digest, 0);
                Assert.Equal(SHA256.HashData(data), digest);
                Assert.Equal((data.Length + padLength) / Sha256.BlockBytes * 8, steps); // eight steps per block
            }
        }
    }
}
