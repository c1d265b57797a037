using System;
using System.Collections.Generic;
using System.IO;
using HingeSensor.Protocol;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;
using static HingeSensor.Firmware.Tests.StoreKit;
using HingeSensor.TestSupport;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// One bit flips somewhere in a recorded session file on the flash; the device boots (recovery)
    /// and a host decodes what it kept. Goal: a flip costs at most the chunk it landed in, and no
    /// damaged chunk is ever taken for a good one. Every byte position of a real session: one
    /// random bit each in the slice, all eight bits in the long run.
    /// </summary>
    [StartsEarly(2)]
    public class FlashBitFlipCampaign
    {
        private readonly ITestOutputHelper _out;

        public FlashBitFlipCampaign(ITestOutputHelper output) => _out = output;

        /// <summary>What one flip cost.</summary>
        public readonly record struct FlipOutcome(int BytesLost, int DamagedChunkLength, bool CorruptAccepted, bool HeaderRefused);

        /// <summary>Flips bit <paramref name="bit"/> of byte <paramref name="position"/>, boots a device on it and decodes what it kept.</summary>
        public static FlipOutcome Flip(byte[] original, IReadOnlyList<(int Offset, int Length, int Type)> chunks, int position, int bit)
        {
            byte[] file = (byte[])original.Clone();
            file[position] ^= (byte)(1 << bit);
            var flash = new FlashModel(256 * 1024);
            flash.Write(Dir + "S00001.hs", file, 0, file.Length);
            SessionStore store = Recovered(flash);
            int lost = store.Count == 0 ? original.Length : store.At(0).DamagedBytes + store.DroppedBytes;
            byte[] kept = flash.Contents(Dir + "S00001.hs");
            // Every chunk a reader accepts from what was kept must be the original chunk at that place.
            bool corrupt = false;
            var reader = new SessionChunkReader(kept, kept.Length);
            while (reader.Next())
            {
                int at = reader.PayloadOffset - SessionFormat.HeaderBytes, total = reader.PayloadLength + SessionFormat.Overhead;
                if (!kept.AsSpan(at, total).SequenceEqual(original.AsSpan(at, total))) corrupt = true;
            }
            bool headerRefused = false;
            try
            {
                DecodedSession d = DecodedSession.Decode(kept, kept.Length);
                int hostLost = kept.Length - d.ValidLength;
                foreach (SessionHole h in d.Holes) hostLost += h.Length;
                Assert.Equal(lost - (original.Length - kept.Length), hostLost); // host and device skip the same bytes
            }
            catch (InvalidDataException) { headerRefused = true; }
            int damagedChunk = 0;
            foreach (var c in chunks) if (position >= c.Offset && position < c.Offset + c.Length) damagedChunk = c.Length;
            return new FlipOutcome(lost, damagedChunk, corrupt, headerRefused);
        }

        [Fact]
        public void A_single_bit_flip_anywhere_in_a_recorded_session_costs_at_most_the_chunk_it_hit()
        {
            byte[] original = Campaign.RecordedWorkout();
            var chunks = RecoveryTests.Chunks(original);
            var rng = new Random(2718);
            int cases = 0, crashes = 0, corrupt = 0, beyondChunk = 0, headerRefused = 0, maxLost = 0;
            long totalLost = 0;
            string? firstCrash = null;
            for (int p = 0; p < original.Length; p++)
            {
                int chosen = rng.Next(8);
                for (int b = 0; b < 8; b++)
                {
                    if (!Campaign.Long && b != chosen) continue;
                    cases++;
                    try
                    {
                        FlipOutcome o = Flip(original, chunks, p, b);
                        if (o.CorruptAccepted) corrupt++;
                        if (o.BytesLost > o.DamagedChunkLength) beyondChunk++;
                        if (o.HeaderRefused) headerRefused++;
                        maxLost = Math.Max(maxLost, o.BytesLost);
                        totalLost += o.BytesLost;
                    }
                    catch (Exception e)
                    {
                        crashes++;
                        firstCrash ??= $"byte {p} bit {b}: {e}";
                    }
                }
            }
            int largestChunk = 0;
            foreach (var c in chunks) largestChunk = Math.Max(largestChunk, c.Length);
            _out.WriteLine($"flash bit flips ({(Campaign.Long ? "long" : "slice")}): {original.Length} bytes in {chunks.Count} chunks (largest {largestChunk} B); {cases} cases, {crashes} crashes, " +
                           $"{corrupt} corrupt chunks accepted, {beyondChunk} lost more than the chunk hit; bytes lost per flip max {maxLost}, mean {(double)totalLost / cases:0.0}; " +
                           $"{headerRefused} hit the header chunk (file kept, the host quarantines it)");
            Assert.True(crashes == 0, firstCrash);
            Assert.Equal(0, corrupt);
            Assert.Equal(0, beyondChunk);
        }
    }
}
