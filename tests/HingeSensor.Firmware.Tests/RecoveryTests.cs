using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using static HingeSensor.Firmware.Tests.StoreKit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>What boot recovery keeps: every intact chunk, wherever the damage is, with no free space needed.</summary>
    public class RecoveryTests
    {
        /// <summary>Start offsets and lengths of the chunks of an intact file.</summary>
        internal static List<(int Offset, int Length, int Type)> Chunks(byte[] file)
        {
            var list = new List<(int, int, int)>();
            var reader = new SessionChunkReader(file, file.Length);
            int at = 0;
            while (reader.Next())
            {
                list.Add((at, reader.ValidLength - at, reader.Type));
                at = reader.ValidLength;
            }
            Assert.Equal(file.Length, at);
            return list;
        }

        // Records for a while and stops without an End chunk: the power went mid-recording.
        private static void RecordCutShort(SessionRecorder recorder, int seconds)
        {
            Assert.NotNull(recorder.Start(new SessionHeader { DeviceSerial = "HS1-TEST", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 }, 0f));
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < seconds * 25; k++)
            {
                m.UpperBackSagittalDeg = 30 * MathF.Sin(k * 0.05f);
                m.SacrumSagittalDeg = 20 * MathF.Sin(k * 0.04f);
                recorder.AddFrame(m);
            }
        }

        [Fact]
        public void A_torn_session_on_a_nearly_full_flash_is_cut_in_place_and_keeps_every_intact_chunk()
        {
            var flash = new FlashModel(256 * 1024);
            var store = Recovered(flash);
            RecordCutShort(new SessionRecorder(store, flash), 480);
            string path = store.PathOf(1);
            byte[] intact = flash.Contents(path);
            Assert.True(intact.Length > 80_000, $"{intact.Length} bytes recorded");
            // The chunk being written when the power went: its first 42 bytes made it.
            var (offset, _, _) = Chunks(intact)[^1];
            Assert.True(flash.Append(path, intact, offset, 42));
            // Something else fills the flash: a copy of the session could no longer fit beside it.
            flash.Write(Dir + "filler.bin", new byte[flash.FreeBytes - FlashModel.BlockSize], 0, (int)flash.FreeBytes - FlashModel.BlockSize);
            Assert.True(flash.FreeBytes < intact.Length);

            var rebooted = Recovered(flash);

            SessionInfo s = Assert.Single(Enumerable.Range(0, rebooted.Count).Select(rebooted.At));
            Assert.Equal(intact.Length, s.Length);
            Assert.Equal(intact, flash.Contents(path));
            Assert.Equal(1, rebooted.RecoveredSessions);
            Assert.Equal(42, rebooted.DroppedBytes);
            Assert.True((s.Flags & SessionEntry.FlagRecovered) != 0);
        }

        [Fact]
        public void One_flipped_bit_costs_the_damaged_chunk_only_on_the_device_and_on_the_host()
        {
            var flash = new FlashModel(256 * 1024);
            var store = Recovered(flash);
            StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(5), 60);
            string path = store.PathOf(1);
            byte[] original = flash.Contents(path);
            var chunks = Chunks(original);
            DecodedSession before = DecodedSession.Decode(original, original.Length);
            // A frames chunk a third of the way in: a bit of its payload flips on the flash.
            int k = chunks.FindIndex(chunks.Count / 3, c => c.Type == SessionFormat.ChunkFrames);
            var (at, length, _) = chunks[k];
            byte[] damaged = (byte[])original.Clone();
            damaged[at + SessionFormat.HeaderBytes + 3] ^= 0x10;
            flash.Write(path, damaged, 0, damaged.Length);

            var rebooted = Recovered(flash);

            SessionInfo s = rebooted.Find(1)!;
            Assert.Equal(original.Length, s.Length);              // nothing cut: every later chunk is kept
            Assert.Equal(damaged, flash.Contents(path));          // and the damaged one stays as it is
            Assert.Equal(length, s.DamagedBytes);
            Assert.True((s.Flags & SessionEntry.FlagDamaged) != 0);
            Assert.True((s.Flags & SessionEntry.FlagClosed) != 0);
            Assert.Equal(0, rebooted.RecoveredSessions);

            DecodedSession after = DecodedSession.Decode(damaged, damaged.Length);
            SessionHole hole = Assert.Single(after.Holes);
            Assert.Equal(new SessionHole(at, length, k, k), hole);
            int framesInChunk = damaged[at + SessionFormat.HeaderBytes + 4];
            Assert.Equal(before.Frames.Count - framesInChunk, after.Frames.Count);
            Assert.Equal(before.Reps.Count, after.Reps.Count);
            Assert.Equal(before.Events.Count, after.Events.Count);
            Assert.True(after.Closed);
            Assert.False(after.HadInvalidTail);
            // The digest is of the file as it is now, hole and all: a host that stores it can have it marked.
            Settle(rebooted);
            Assert.True(s.DigestMatches(SHA256.HashData(damaged), 0));
        }

        [Fact]
        public void A_damaged_header_chunk_keeps_the_file_for_the_host_instead_of_deleting_it()
        {
            var flash = new FlashModel(256 * 1024);
            var store = Recovered(flash);
            StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(6), 20);
            string path = store.PathOf(1);
            byte[] original = flash.Contents(path);
            byte[] file = (byte[])original.Clone();
            file[20] ^= 0x01; // inside the header chunk's payload
            flash.Write(path, file, 0, file.Length);

            var rebooted = Recovered(flash);

            SessionInfo s = rebooted.Find(1)!;
            Assert.Equal(file.Length, s.Length);
            Assert.Equal(Chunks(original)[0].Length, s.DamagedBytes);
            var e = Assert.Throws<System.IO.InvalidDataException>(() => DecodedSession.Decode(file, file.Length));
            Assert.Contains("header chunk is damaged", e.Message);
        }

        [Fact]
        public void A_session_file_without_its_header_chunk_is_refused_not_read_with_a_default_header()
        {
            var flash = new FlashModel(256 * 1024);
            var store = Recovered(flash);
            StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(7), 5);
            byte[] file = flash.Contents(store.PathOf(1));
            // Every chunk intact, the first one (the header) gone: nothing is damaged, so no hole
            // tells the reader the header is missing. Read anyway, the frames took a made-up rate.
            byte[] headless = file[Chunks(file)[0].Length..];
            var e = Assert.Throws<System.IO.InvalidDataException>(() => DecodedSession.Decode(headless, headless.Length));
            Assert.Contains("not its header", e.Message);
        }

        [Fact]
        public void A_frame_index_past_two_to_the_31_at_1_Hz_is_listed_as_a_duration_that_is_not_negative()
        {
            var flash = new FlashModel(256 * 1024);
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            recorder.Start(new SessionHeader { DeviceSerial = "HS1-TEST", FrameRateHz = 1 }, 0f);
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < 30; k++) recorder.AddFrame(m);
            recorder.Stop(StopReason.Requested, 30);
            byte[] file = flash.Contents(store.PathOf(1));
            // A frames chunk that checks but starts at frame 2³² − 256: a writer's bug, or damage sealed over.
            var (at, length, _) = Chunks(file).Last(c => c.Type == SessionFormat.ChunkFrames);
            byte[] chunk = file[at..(at + length)];
            BitConverter.GetBytes(0xFFFFFF00u).CopyTo(chunk, SessionFormat.HeaderBytes);
            SessionFormat.Seal(chunk, SessionFormat.ChunkFrames, length - SessionFormat.Overhead, BitConverter.ToUInt32(chunk, 5));
            chunk.CopyTo(file, at);
            flash.Write(store.PathOf(1), file, 0, file.Length);

            SessionEntry e = Recovered(flash).Find(1)!.ToEntry();

            Assert.Equal(int.MaxValue, e.DurationS); // was negative: the i32 wrapped
        }

        [Fact]
        public void Two_recordings_with_the_same_id_and_layout_have_different_digests_and_one_cannot_stand_for_the_other()
        {
            // Flash wiped between them: both are session 1, same frames, same chunk lengths — so the
            // same whole-file CRC-32 (each chunk ends with its own CRC). Only their random identity differs.
            byte[] Record(int entropySeed, out SessionStore store, out FlashModel flash)
            {
                flash = new FlashModel(256 * 1024);
                store = Recovered(flash, entropySeed);
                StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(9), 30);
                Settle(store);
                return File(flash, store, 1);
            }
            byte[] a = Record(1, out SessionStore storeA, out _);
            byte[] b = Record(2, out SessionStore storeB, out _);
            Assert.Equal(a.Length, b.Length);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(a), System.IO.Hashing.Crc32.HashToUInt32(b));
            Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(b));
            Assert.NotEqual(DecodedSession.Decode(a, a.Length).Header.SessionUid, DecodedSession.Decode(b, b.Length).Header.SessionUid);

            // A host that stored A cannot have B marked (and so evicted) with it.
            Assert.Equal(ResultCode.DigestMismatch, storeB.MarkDownloaded(1, Tag(a), 0));
            Assert.Equal(ResultCode.InvalidState, storeB.MarkDownloaded(1, Tag(b), 0)); // it hashes its file once more first
            Settle(storeB);
            Assert.Equal(ResultCode.DigestMismatch, storeB.MarkDownloaded(1, Tag(a), 0)); // and stays of its opinion
            Assert.Equal(ResultCode.Success, storeB.MarkDownloaded(1, Tag(b), 0));
            Assert.Equal(ResultCode.Success, storeA.MarkDownloaded(1, Tag(a), 0));
        }

        [Fact]
        public void A_damaged_next_id_is_refused_and_recomputed_past_every_session_present()
        {
            var flash = new FlashModel();
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            for (int i = 0; i < 3; i++) StorageTests.RecordMinute(recorder, new Random(i), 2);
            byte[] record = flash.Contents(Dir + "next.id");
            record[4] ^= 0x80; // 4 → 132 in the stored id, were it believed
            flash.Write(Dir + "next.id", record, 0, record.Length);

            var rebooted = Recovered(flash);

            Assert.True(rebooted.RecordRefused);
            StorageTests.RecordMinute(new SessionRecorder(rebooted, flash), new Random(7), 2);
            Assert.Equal(4, rebooted.At(3).Id);
            Assert.False(Recovered(flash).RecordRefused); // the next save wrote a good one
        }

        [Fact]
        public void A_damaged_digest_record_is_refused_recomputed_and_its_downloaded_mark_is_not_believed()
        {
            var flash = new FlashModel();
            var store = Recovered(flash);
            StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(3), 10);
            Assert.Equal(ResultCode.Success, Mark(flash, store, 1));
            byte[] record = flash.Contents(Dir + "S00001.dg");
            record[10] ^= 0x04;
            flash.Write(Dir + "S00001.dg", record, 0, record.Length);

            var rebooted = Recovered(flash);

            SessionInfo s = rebooted.Find(1)!;
            Assert.True(rebooted.RecordRefused);
            Assert.False(s.Downloaded);
            Assert.False(rebooted.EvictOldestDownloaded());
            Settle(rebooted);
            Assert.True(s.DigestMatches(SHA256.HashData(File(flash, rebooted, 1)), 0));
            Assert.Equal(ResultCode.Success, Mark(flash, rebooted, 1));
        }

        [Fact]
        public void The_digest_record_keeps_the_whole_digest_and_a_lost_one_is_computed_again_before_a_mark()
        {
            var flash = new FlashModel();
            var store = Recovered(flash);
            StorageTests.RecordMinute(new SessionRecorder(store, flash), new Random(5), 10);
            Settle(store);
            byte[] digest = SHA256.HashData(File(flash, store, 1));
            // The table keeps the tag only; the record on flash the whole digest, as before.
            byte[] record = flash.Contents(Dir + "S00001.dg");
            Assert.Equal(digest, record.AsSpan(RecordFile.HeaderBytes + 6, 32).ToArray());

            // The record's save was lost (as when the flash refused it): the mark waits for a new one.
            Assert.True(flash.Delete(Dir + "S00001.dg"));
            Assert.Equal(ResultCode.InvalidState, store.MarkDownloaded(1, digest, 0));
            Assert.False(store.Find(1)!.Downloaded);
            Assert.Equal(ResultCode.Success, Mark(flash, store, 1));
            Assert.True(Recovered(flash).Find(1)!.Downloaded);
            Assert.Equal(digest, flash.Contents(Dir + "S00001.dg").AsSpan(RecordFile.HeaderBytes + 6, 32).ToArray());
        }

        [Fact]
        public void A_power_cut_during_a_truncate_leaves_the_old_length_or_the_new()
        {
            var outcomes = new HashSet<int>();
            for (int seed = 0; seed < 40; seed++)
            {
                var flash = new FlashModel(seed: seed);
                flash.Write("/f", new byte[1000], 0, 1000);
                flash.CutPowerAfter(0);
                Assert.Throws<PowerLostException>(() => flash.Truncate("/f", 600));
                flash.Reboot();
                int length = flash.Length("/f");
                Assert.Contains(length, new[] { 600, 1000 });
                outcomes.Add(length);
            }
            Assert.Equal(2, outcomes.Count);
        }
    }
}
