using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.TestSupport;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using Xunit.Abstractions;
using static HingeSensor.Firmware.Tests.StoreKit;

namespace HingeSensor.Firmware.Tests.Campaigns
{
    /// <summary>
    /// A recorded session file on the flash, mutated beyond one bit (<see cref="FlashBitFlipCampaign"/>
    /// has those): bytes set, words where lengths live, cuts, growth, insertions, duplicated and
    /// spliced ranges, random files — and chunks whose payload is mutated and sealed again with a
    /// good CRC, so that the header's serial length, frame rate and times and the frames' indexes
    /// reach the device's decoders as they are. The device recovers at boot (SessionStore.Scan and
    /// its header reading) and SessionChunkReader walks what it kept. Goal: nothing throws, no
    /// damaged chunk is taken for good, device and reader agree to the byte on what is intact, and
    /// the list entry stays within the protocol's limits (length, a duration ≥ 0, known flags).
    /// </summary>
    public class SessionFileFuzzCampaign
    {
        private const string Path = Dir + "S00001.hs";
        private const int KnownEntryFlags = 63;
        private readonly ITestOutputHelper _out;

        public SessionFileFuzzCampaign(ITestOutputHelper output) => _out = output;

        [Fact]
        public void Mutated_session_files_are_recovered_to_their_intact_chunks_and_listed_within_the_protocol()
        {
            byte[] original = Campaign.RecordedWorkout();
            var chunks = RecoveryTests.Chunks(original);
            int cases = Campaign.Size(3_000, 60_000);
            var mutator = new Mutator(4242);
            var tally = new FuzzTally("flash-session-recovery", typeof(InvalidDataException));
            for (int i = 0; i < cases; i++)
            {
                // Two in three cases mutate the file as flash damage would; one in three mutates a
                // chunk's payload and seals it again, as a buggy writer would.
                // Sealed again: the header, another chunk, or the header and the last frames chunk
                // together (a frame rate and a frame index that only hurt as a pair).
                int[] targets = (i % 3) switch
                {
                    2 => i % 9 == 2 ? new[] { 0 } : i % 9 == 5 ? new[] { LastFrames(chunks), 0 } : new[] { 1 + (i / 9) % (chunks.Count - 1) },
                    _ => Array.Empty<int>(),
                };
                Mutation m = targets.Length == 0 ? mutator.Next(original, i) : Reseal(original, chunks, targets, mutator, i);
                string Reproduction() => $"{mutator.Reproduce(i)}{(targets.Length > 0 ? $" on the payload of chunk {string.Join(" and ", targets)}, sealed again" : "")}: {m.Description}";
                tally.Run(Reproduction, () => Check(original, chunks, m.Bytes, targets));
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        [Fact]
        public void Hostile_header_rates_serial_lengths_and_frame_indexes_are_listed_within_the_protocol()
        {
            byte[] original = Campaign.RecordedWorkout();
            var chunks = RecoveryTests.Chunks(original);
            int last = LastFrames(chunks);
            var header = new SessionHeader();
            Assert.True(header.Decode(original, chunks[0].Offset + SessionFormat.HeaderBytes, chunks[0].Length - SessionFormat.Overhead));
            var tally = new FuzzTally("flash-session-header", typeof(InvalidDataException));
            foreach (int rate in new[] { 0, 1, 2, 25, 100, 101, 255 })
            foreach (int serialLength in new[] { 0, 11, 16, 17, 255 })
            foreach (uint first in new[] { 0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFF00u, 0xFFFFFFFFu })
            foreach (int count in new[] { 0, 1, 255 })
            {
                header.FrameRateHz = rate;
                header.DeviceSerial = "HS1-" + new string('7', Math.Min(serialLength, SessionHeader.MaxSerial) - Math.Min(serialLength, 4));
                var payload = new byte[SessionFormat.MaxPayload];
                int n = header.Encode(payload, 0);
                payload[1] = (byte)serialLength; // the length byte as stated, whatever follows
                byte[] file = Sealed(original, chunks, last, FramesWith(original, chunks[last], first, count));
                file = Sealed(file, chunks, 0, payload[..n]);
                tally.Run(() => $"rate {rate}, serial length {serialLength}, first frame {first}, {count} frames", () => Check(original, chunks, file, new[] { 0, last }));
            }
            _out.WriteLine(tally.Summary);
            Assert.True(tally.Crashes == 0, tally.Problems);
            Assert.True(tally.AcceptedCorrupt == 0, tally.Problems);
        }

        private static byte[] FramesWith(byte[] file, (int Offset, int Length, int Type) chunk, uint first, int count)
        {
            byte[] payload = file.AsSpan(chunk.Offset + SessionFormat.HeaderBytes, chunk.Length - SessionFormat.Overhead).ToArray();
            BitConverter.GetBytes(first).CopyTo(payload, 0);
            payload[4] = (byte)count;
            return payload;
        }

        /// <summary>The file with chunk <paramref name="target"/> replaced by <paramref name="payload"/> sealed with its type and sequence (the chunks before it in place).</summary>
        private static byte[] Sealed(byte[] file, IReadOnlyList<(int Offset, int Length, int Type)> chunks, int target, byte[] payload)
        {
            var (offset, length, type) = chunks[target];
            var chunk = new byte[payload.Length + SessionFormat.Overhead];
            payload.CopyTo(chunk, SessionFormat.HeaderBytes);
            SessionFormat.Seal(chunk, type, payload.Length, (uint)target);
            return file[..offset].Concat(chunk).Concat(file[(offset + length)..]).ToArray();
        }

        private static int LastFrames(IReadOnlyList<(int Offset, int Length, int Type)> chunks)
        {
            int last = 1;
            for (int c = 0; c < chunks.Count; c++) if (chunks[c].Type == SessionFormat.ChunkFrames) last = c;
            return last;
        }

        /// <summary>
        /// The file with the payloads of chunks <paramref name="targets"/> (from the last) mutated,
        /// at most MaxPayload bytes each, and sealed again with their type and sequence.
        /// </summary>
        internal static Mutation Reseal(byte[] file, IReadOnlyList<(int Offset, int Length, int Type)> chunks, int[] targets, Mutator mutator, int index)
        {
            var said = new List<string>();
            foreach (int target in targets.OrderByDescending(t => t))
            {
                var (offset, length, _) = chunks[target];
                byte[] payload = file.AsSpan(offset + SessionFormat.HeaderBytes, length - SessionFormat.Overhead).ToArray();
                Mutation m = mutator.Next(payload, index * 8 + target % 8);
                file = Sealed(file, chunks, target, m.Bytes[..Math.Min(m.Bytes.Length, SessionFormat.MaxPayload)]);
                said.Add($"chunk {target}: {m.Description}");
            }
            return new Mutation(file, string.Join("; ", said));
        }

        /// <summary>"" when the device's recovery of <paramref name="file"/> keeps what it should and lists it within limits; else why not.</summary>
        private static string Check(byte[] original, IReadOnlyList<(int Offset, int Length, int Type)> chunks, byte[] file, int[] resealed)
        {
            var flash = new FlashModel(256 * 1024);
            flash.Write(Path, file, 0, file.Length);
            SessionStore store = Recovered(flash);
            // What an independent walk over the file as written finds intact.
            var reader = new SessionChunkReader(file, file.Length);
            int holes = 0, intact = 0;
            while (reader.Next())
            {
                holes += reader.HoleLength;
                intact++;
                int at = reader.PayloadOffset - SessionFormat.HeaderBytes, total = reader.PayloadLength + SessionFormat.Overhead;
                if (resealed.Contains((int)reader.Sequence)) continue; // sealed by us: intact by construction
                if (reader.Sequence >= chunks.Count) return $"a chunk of sequence {reader.Sequence} at byte {at}, beyond the {chunks.Count} recorded";
                var (offset, length, _) = chunks[(int)reader.Sequence];
                if (length != total || !file.AsSpan(at, total).SequenceEqual(original.AsSpan(offset, length)))
                    return $"the chunk at byte {at} (sequence {reader.Sequence}) is not the one recorded with that sequence";
            }
            if (store.Count == 0)
                return intact == 0 ? "" : $"the device deleted a file with {intact} intact chunks";
            SessionInfo s = store.At(0);
            byte[] kept = flash.Contents(Path);
            if (intact == 0) return "the device kept a file without one intact chunk";
            if (s.Length != reader.ValidLength || kept.Length != s.Length)
                return $"the device keeps {kept.Length} bytes and lists {s.Length}; the intact chunks end at {reader.ValidLength}";
            if (s.DamagedBytes != holes) return $"the device counts {s.DamagedBytes} damaged bytes inside, the reader {holes}";
            SessionEntry e = s.ToEntry();
            if (e.Length < SessionFormat.Overhead || e.Length > SessionFormat.MaxSessionBytes) return $"listed length {e.Length}";
            if (e.DurationS < 0) return $"listed duration {e.DurationS} s";
            if ((e.Flags & ~KnownEntryFlags) != 0) return $"listed flags 0x{e.Flags:x2}";
            if ((s.DamagedBytes > 0) != ((e.Flags & SessionEntry.FlagDamaged) != 0)) return "damage and the damaged flag disagree";
            // The host decodes the same file; a header it cannot believe is its InvalidDataException.
            DecodedSession d = DecodedSession.Decode(kept, kept.Length);
            int hostHoles = d.Holes.Sum(h => h.Length);
            return hostHoles == s.DamagedBytes ? "" : $"the host skips {hostHoles} bytes inside, the device {s.DamagedBytes}";
        }
    }
}
