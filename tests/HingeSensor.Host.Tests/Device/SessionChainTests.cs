using HingeSensor.TestSupport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Client;
using HingeSensor.Host.Link.Virtual;
using HingeSensor.Host.Sessions;
using HingeSensor.Host.Storage;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Host.Tests.Device
{
    /// <summary>
    /// The chain flash → link → database, through SessionSync as `hinge device download` runs it:
    /// what arrives is what the device holds, stored once, and the device lets go only of what the
    /// host confirmed it stored.
    /// </summary>
    public class SessionChainTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // a wrong client used to loop forever: fail instead

        /// <summary>Records a session straight onto a virtual device's flash directory, as its firmware would.</summary>
        internal static byte[] RecordInto(string flashDir, int entropySeed, int seconds, int frameRateHz = 25, bool withDigest = true)
        {
            var files = new DirectoryFileStore(flashDir);
            var store = new SessionStore(files, "/hinge/", new SeededRandom(entropySeed));
            store.Recover();
            var recorder = new SessionRecorder(store, files);
            SessionInfo s = recorder.Start(new SessionHeader { DeviceSerial = "HS1-VIRTUAL", StartUnixMs = 1_764_000_000_000, FrameRateHz = frameRateHz }, 0f)!;
            var m = new PostureMetrics { ValidSegments = 7 };
            var rng = new Random(9);
            for (int k = 0; k < seconds * 25; k++)
            {
                m.UpperBackSagittalDeg = 40 + 30 * MathF.Sin(k * 0.04f);
                m.SacrumSagittalDeg = 30 + 20 * MathF.Sin(k * 0.04f);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble();
                recorder.AddFrame(m);
                if (k % 125 == 124)
                {
                    var rep = new Rep { Number = k / 125, Counted = true, StartS = k * 0.04f - 3, EndS = k * 0.04f, DepthDeg = 70 };
                    recorder.AddRep(rep);
                }
            }
            recorder.Stop(StopReason.Requested, seconds);
            while (withDigest && s.DigestState == SessionInfo.DigestPending) store.Digester.Pump();
            return File.ReadAllBytes(VirtualBenchFile(flashDir, s.Id));
        }

        private static string VirtualBenchFile(string flashDir, int id) => Path.Combine(flashDir, "hinge", $"S{id:D5}.hs");

        private static async Task<(VirtualDeviceHost Host, TamperingLink Link, DeviceConnection Device)> OpenAsync(string flashDir, int mtu = 185)
        {
            VirtualDeviceHost host = VirtualBench.StartDevice(flashDir, speed: 0);
            var link = new TamperingLink(new VirtualDeviceLink(host, mtu));
            DeviceConnection d = await DeviceConnection.OpenAsync(link, live: false, CancellationToken.None, host, "virtual");
            return (host, link, d);
        }

        private static IReadOnlyList<SessionEntry> List(DeviceConnection d) => d.Client.ListSessionsAsync().GetAwaiter().GetResult();

        [Fact]
        public async Task A_second_recording_with_the_same_id_and_chunk_layout_is_stored_as_its_own_session_before_the_device_lets_go_of_it()
        {
            // The case: the flash was wiped, ids started again at 1, and the new session 1
            // has the same chunk lengths as the stored one — so the same whole-file CRC-32.
            using var dir = new TempDir();
            byte[] first = RecordInto(dir.File("before-wipe"), entropySeed: 1, seconds: 30);
            byte[] second = RecordInto(dir.File("flash"), entropySeed: 2, seconds: 30);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(first), System.IO.Hashing.Crc32.HashToUInt32(second));
            using var db = new SessionDatabase(dir.File("hinge.db"));
            var (host, _, d) = await OpenAsync(dir.File("flash"));
            using (host)
            await using (d)
            {
                db.ImportDeviceSession(d.Identity, first);

                SyncedSession s = Assert.Single(await SessionSync.SyncAsync(d, db, erase: true, ct: new CancellationTokenSource(Patience).Token));

                Assert.Equal(SyncOutcome.Stored, s.Outcome);
                Assert.True(s.New);
                Assert.True(s.Marked && s.Erased);
                Assert.Equal(2, db.ListSessions().Count);
                Assert.Equal(second, db.RawSession(s.DatabaseId));
                Assert.Empty(List(d));
            }
        }

        [Fact]
        public async Task A_chunk_damaged_on_the_devices_flash_arrives_the_same_twice_is_kept_as_a_hole_and_the_rest_is_stored_and_marked()
        {
            using var dir = new TempDir();
            string flash = dir.File("flash");
            byte[] original = RecordInto(flash, entropySeed: 3, seconds: 60);
            var chunks = new List<int>();
            var reader = new SessionChunkReader(original, original.Length);
            for (int at = 0; reader.Next(); at = reader.ValidLength) chunks.Add(at);
            int damagedAt = chunks[chunks.Count / 2];
            var (host, link, d) = await OpenAsync(flash);
            using (host)
            await using (d)
            {
                // A bit flips on the flash after the device booted and computed its digest: it now
                // serves the damaged chunk on every request.
                byte[] damaged = (byte[])original.Clone();
                damaged[damagedAt + SessionFormat.HeaderBytes + 2] ^= 0x04;
                File.WriteAllBytes(VirtualBenchFile(flash, 1), damaged);
                using var db = new SessionDatabase(dir.File("hinge.db"));
                int downloads = 0;
                link.OnWrite = (uuid, v) => { if (v.Length > 0 && v[0] == (byte)Opcode.Download) Interlocked.Increment(ref downloads); };

                SyncedSession s = Assert.Single(await SessionSync.SyncAsync(d, db, erase: false, ct: new CancellationTokenSource(Patience).Token));

                Assert.Equal(SyncOutcome.Stored, s.Outcome);
                Assert.Equal(damaged, db.RawSession(s.DatabaseId));
                Assert.True(s.Marked, s.Message); // the device hashed its file again and agrees
                Assert.Equal(2, downloads);        // once, and once more to see the same damage
                DecodedSession decoded = DecodedSession.Decode(damaged, damaged.Length);
                Assert.Equal(damagedAt, Assert.Single(decoded.Holes).Offset);
                Assert.Equal(1, d.Client.Health.Malformed(MalformedKind.BadCrc));
            }
        }

        [Fact]
        public async Task A_link_that_damages_a_chunk_differently_every_time_fails_the_download_naming_it_and_the_next_one_resumes_where_it_stopped()
        {
            using var dir = new TempDir();
            string flash = dir.File("flash");
            byte[] original = RecordInto(flash, entropySeed: 4, seconds: 60);
            var reader = new SessionChunkReader(original, original.Length);
            var chunks = new List<int>();
            for (int at = 0; reader.Next(); at = reader.ValidLength) chunks.Add(at);
            int chunkAt = chunks[chunks.Count / 2], target = chunkAt + 20;
            var (host, link, d) = await OpenAsync(flash);
            using (host)
            await using (d)
            {
                var rng = new Random(77);
                link.Tamper = (uuid, v) =>
                {
                    if (!uuid.Equals(GattIds.SessionData, StringComparison.OrdinalIgnoreCase)) return new[] { v };
                    int offset = BitConverter.ToInt32(v, 2);
                    if (target < offset || target >= offset + v.Length - 6) return new[] { v };
                    var bad = (byte[])v.Clone();
                    bad[6 + target - offset] ^= (byte)(1 << rng.Next(8)); // a different bit each time
                    return new[] { bad };
                };
                using var db = new SessionDatabase(dir.File("hinge.db"));

                SyncedSession failed = Assert.Single(await SessionSync.SyncAsync(d, db, erase: false, ct: new CancellationTokenSource(Patience).Token));

                Assert.Equal(SyncOutcome.Failed, failed.Outcome);
                Assert.Contains("session 1", failed.Message);
                Assert.Contains($"byte {chunkAt}", failed.Message);
                Assert.Empty(db.ListSessions());
                SessionEntry entry = Assert.Single(List(d));
                Assert.Equal(original.AsSpan(0, chunkAt).ToArray(), db.PartialDownload(d.Identity, entry));
                Assert.True((entry.Flags & SessionEntry.FlagDownloaded) == 0);

                // The link is good again: the next download starts where the last one stopped.
                link.Tamper = null;
                var froms = new List<int>();
                link.OnWrite = (uuid, v) => { if (v.Length == 8 && v[0] == (byte)Opcode.Download) lock (froms) froms.Add(BitConverter.ToInt32(v, 4)); };
                SyncedSession s = Assert.Single(await SessionSync.SyncAsync(d, db, erase: false, ct: new CancellationTokenSource(Patience).Token));
                Assert.Equal(SyncOutcome.Stored, s.Outcome);
                Assert.Equal(original, db.RawSession(s.DatabaseId));
                Assert.Equal(chunkAt, froms[0]);
                Assert.Null(db.PartialDownload(d.Identity, entry));
            }
        }

        [Fact]
        public async Task A_session_that_does_not_decode_is_quarantined_and_left_on_the_device_while_the_others_download()
        {
            using var dir = new TempDir();
            string flash = dir.File("flash");
            byte[] broken = RecordInto(flash, entropySeed: 5, seconds: 4, frameRateHz: 0); // session 1: frame rate 0
            byte[] good = RecordInto(flash, entropySeed: 5, seconds: 10);                   // session 2
            var (host, _, d) = await OpenAsync(flash);
            using (host)
            await using (d)
            {
                using var db = new SessionDatabase(dir.File("hinge.db"));

                var synced = await SessionSync.SyncAsync(d, db, erase: true, ct: new CancellationTokenSource(Patience).Token);

                Assert.Equal(new[] { SyncOutcome.Quarantined, SyncOutcome.Stored }, synced.Select(s => s.Outcome));
                Assert.Contains("frame rate", synced[0].Message);
                Assert.Contains("quarantined", synced[0].Message);
                QuarantinedSession q = Assert.Single(db.ListQuarantined());
                Assert.Equal(1, q.DeviceSessionId);
                Assert.Equal(broken, db.QuarantinedRaw(q.Id));
                Assert.Equal(good, db.RawSession(synced[1].DatabaseId));
                SessionEntry left = Assert.Single(List(d));     // the good one was erased, the broken one kept
                Assert.Equal(1, left.Id);
                Assert.True((left.Flags & SessionEntry.FlagDownloaded) == 0);

                // Asked again, it is quarantined once.
                Assert.Equal(SyncOutcome.Quarantined, Assert.Single(await SessionSync.SyncAsync(d, db, erase: true)).Outcome);
                Assert.Single(db.ListQuarantined());
                var history = CliTests.Hinge("history", "list", "--db", dir.File("hinge.db"));
                Assert.Equal(0, history.Code);
                Assert.Contains("quarantined #1: session 1 of HS1-VIRTUAL", history.Out);
                Assert.Contains("frame rate outside 1-100 Hz", history.Out);
            }
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(int.MaxValue)]
        [InlineData(SessionFormat.MaxSessionBytes + 1)]
        public async Task A_listed_length_outside_the_protocols_limits_fails_that_session_with_a_clear_message_and_allocates_nothing(int length)
        {
            using var dir = new TempDir();
            string flash = dir.File("flash");
            RecordInto(flash, entropySeed: 6, seconds: 4);
            var (host, link, d) = await OpenAsync(flash);
            using (host)
            await using (d)
            {
                link.Tamper = (uuid, v) =>
                {
                    // The first full entry of a ListSessions page: [F0 30 id result][total u16][first u16][n u8][id u16][start i64][length i32]...
                    if (!uuid.Equals(GattIds.Control, StringComparison.OrdinalIgnoreCase) || v.Length < 9 + SessionEntry.EncodedLength || v[0] != 0xF0 || v[1] != (byte)Opcode.ListSessions) return new[] { v };
                    var bad = (byte[])v.Clone();
                    BitConverter.GetBytes(length).CopyTo(bad, 9 + 10);
                    return new[] { bad };
                };
                using var db = new SessionDatabase(dir.File("hinge.db"));

                SyncedSession s = Assert.Single(await SessionSync.SyncAsync(d, db, erase: false, ct: new CancellationTokenSource(Patience).Token));

                Assert.Equal(SyncOutcome.Failed, s.Outcome);
                Assert.Contains($"session 1: the device lists a length of {length} bytes", s.Message);
                Assert.Empty(db.ListSessions());
            }
        }
    }
}
