using System;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice.Models;
using Xunit;
using static HingeSensor.Firmware.Tests.StoreKit;

namespace HingeSensor.Firmware.Tests
{
    public class StorageTests
    {
        // A minute of training at the 25 Hz record rate: moving angles, an event a second, a rep every 5 s.
        internal static void RecordMinute(SessionRecorder recorder, Random rng, int seconds = 60)
        {
            var header = new SessionHeader { DeviceSerial = "HS1-TEST", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 };
            if (recorder.Start(header, 0f) == null) return;
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < seconds * 25; k++)
            {
                float t = k * 0.04f;
                m.TimeS = t;
                m.UpperBackSagittalDeg = 40 + 40 * MathF.Sin(t);
                m.SacrumSagittalDeg = 35 + 35 * MathF.Sin(t);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble();
                m.HeadLateralDeg = (float)rng.NextDouble() * 3;
                m.ValidSegments = k % 400 < 390 ? 7 : 3; // the sacrum drops out for a moment now and then
                recorder.AddFrame(m);
                if (!recorder.IsRecording) return;
                if (k % 25 == 0) recorder.AddEvent(SessionEventKind.Alignment, t, (int)AlignmentEventKind.Started, (int)Fault.ChinDrop, 2100);
                if (k % 125 == 0)
                {
                    var rep = new Rep { Number = k / 125, Counted = true, StartS = t - 3, EndS = t, DepthDeg = 80, MaxTrunkFlexionDeg = 12, FaultMask = 4 };
                    recorder.AddRep(rep);
                }
            }
            recorder.Stop(StopReason.Requested, seconds);
        }

        [Fact]
        public void A_thousand_power_cuts_lose_only_what_was_not_closed_and_never_accept_corruption()
        {
            var rng = new Random(2024);
            // How many bytes a whole session writes (header, next-id, chunks): cuts fall anywhere in it.
            var dry = new FlashModel(256 * 1024);
            var dryStore = Recovered(dry);
            RecordMinute(new SessionRecorder(dryStore, dry), new Random(0));
            int sessionBytes = dry.Contents(dryStore.PathOf(1)).Length + 4;
            int cutsDuringRecording = 0, tornTails = 0;
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                var flash = new FlashModel(256 * 1024, seed: iteration) { TornWrites = iteration % 4 != 0, AtomicRename = iteration % 2 == 0 };
                var log = new LoggingFileStore(flash);
                var store = Recovered(log);
                flash.CutPowerAfter(rng.Next(1, sessionBytes));
                try
                {
                    RecordMinute(new SessionRecorder(store, log), new Random(iteration));
                }
                catch (PowerLostException)
                {
                    cutsDuringRecording++;
                }
                flash.Reboot();

                // Every fifth time the power goes again while recovery cuts the torn tail off.
                if (iteration % 5 == 0)
                {
                    flash.CutPowerAfter(rng.Next(0, 3000));
                    try { Recovered(flash); } catch (PowerLostException) { }
                    flash.Reboot();
                }
                var recovered = Recovered(flash);
                tornTails += recovered.RecoveredSessions;
                string path = recovered.PathOf(1);
                byte[] expected = log.Appended.TryGetValue(path, out var s) ? s.ToArray() : Array.Empty<byte>();
                // A header that never closed means no session at all.
                bool headerDurable = expected.Length > 0;
                Assert.Equal(headerDurable ? 1 : 0, recovered.Count);
                if (!headerDurable) continue;
                byte[] actual = flash.Contents(path);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"iteration {iteration}: recovered {actual.Length} bytes, {expected.Length} were closed");
                var reader = new SessionChunkReader(actual, actual.Length);
                while (reader.Next()) { }
                Assert.False(reader.HasInvalidTail);
                DecodedSession d = DecodedSession.Decode(actual, actual.Length);
                Assert.Equal("HS1-TEST", d.Header.DeviceSerial);
                Settle(recovered);
                Assert.True(recovered.At(0).DigestMatches(System.Security.Cryptography.SHA256.HashData(actual), 0));
            }
            Assert.True(cutsDuringRecording > 900, $"only {cutsDuringRecording} cuts landed during a recording");
            Assert.True(tornTails > 400, $"only {tornTails} torn tails were cut off");
        }

        [Fact]
        public void A_full_flash_evicts_the_oldest_downloaded_sessions_first()
        {
            var flash = new FlashModel(48 * 1024);
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            for (int i = 0; i < 4; i++) RecordMinute(recorder, new Random(i), 30);
            Assert.Equal(4, store.Count);
            foreach (int id in new[] { 1, 2, 3 }) Assert.Equal(ResultCode.Success, Mark(flash, store, id));
            byte[] file4 = File(flash, store, 4);
            RecordMinute(recorder, new Random(9), 90); // does not fit beside the others
            Assert.Equal(StopReason.Requested, recorder.LastStop);
            Assert.Null(store.Find(1));           // the oldest downloaded went first
            Assert.NotNull(store.Find(4));        // never the un-downloaded one
            Assert.Equal(file4, File(flash, store, 4));
            Assert.True(store.Find(5)!.DurationS >= 89);
        }

        [Fact]
        public void A_full_session_table_makes_room_by_the_oldest_downloaded_session_and_never_an_undownloaded_one()
        {
            var flash = new FlashModel(1024 * 1024);
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            for (int i = 0; i < SessionStore.MaxSessions; i++) RecordMinute(recorder, new Random(i), 1);
            Assert.Equal(SessionStore.MaxSessions, store.Count);
            Assert.True(flash.FreeBytes > 512 * 1024, "the flash itself has room: only the table is full");

            // All waiting for a download: nothing may go, the recording is refused and says why.
            RecordMinute(recorder, new Random(100), 1);
            Assert.Equal(StopReason.StorageFull, recorder.LastStop);
            Assert.Equal(SessionStore.MaxSessions, store.Count);
            Assert.NotNull(store.Find(1));

            foreach (int id in new[] { 3, 5 }) Assert.Equal(ResultCode.Success, Mark(flash, store, id));
            RecordMinute(recorder, new Random(101), 1);
            Assert.Equal(StopReason.Requested, recorder.LastStop);
            Assert.Null(store.Find(3));            // the oldest downloaded made room
            Assert.NotNull(store.Find(1));         // the older, undownloaded ones stay
            Assert.NotNull(store.Find(5));
            Assert.Equal(SessionStore.MaxSessions, store.Count);
        }

        [Fact]
        public void With_only_undownloaded_sessions_a_full_flash_stops_the_recording_and_keeps_everything()
        {
            var flash = new FlashModel(64 * 1024);
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            RecordMinute(recorder, new Random(1), 60);
            RecordMinute(recorder, new Random(2), 60);
            byte[] file1 = File(flash, store, 1), file2 = File(flash, store, 2);
            RecordMinute(recorder, new Random(3), 600);
            Assert.Equal(StopReason.StorageFull, recorder.LastStop);
            Assert.False(recorder.IsRecording);
            Assert.Equal(file1, File(flash, store, 1));
            Assert.Equal(file2, File(flash, store, 2));
            SessionInfo third = store.Find(3)!;
            byte[] bytes = flash.Contents(store.PathOf(3));
            DecodedSession d = DecodedSession.Decode(bytes, bytes.Length);
            Assert.False(d.HadInvalidTail);
            // It recorded until the flash could not take another chunk, and all of that is kept.
            Assert.True(flash.FreeBytes < SessionRecorder.ReserveBytes + FlashModel.BlockSize, $"{flash.FreeBytes} bytes still free");
            Assert.True(d.Frames.Count > 25 * 30, $"only {d.Frames.Count} frames kept");
            Assert.Equal(third.Length, bytes.Length);
            // And nothing new starts while it is full.
            Assert.Null(recorder.Start(new SessionHeader(), 0));
            Assert.Equal(StopReason.StorageFull, recorder.LastStop);
        }

        [Fact]
        public void A_full_flash_met_while_flushing_reps_stops_the_recording_and_keeps_what_was_written()
        {
            var flash = new FlashModel(64 * 1024);
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            Assert.NotNull(recorder.Start(new SessionHeader { DeviceSerial = "HS1-TEST", FrameRateHz = 25 }, 0f));
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < 60; k++) recorder.AddFrame(m); // two chunks written, ten frames waiting
            flash.Write(Dir + "filler.bin", new byte[flash.FreeBytes - FlashModel.BlockSize], 0, (int)flash.FreeBytes - FlashModel.BlockSize);

            // More reps than the buffer holds: the flush that makes room finds the flash full.
            var rep = new Rep { Counted = true, StartS = 0.5f, EndS = 2f, DepthDeg = 70 };
            for (int i = 0; i <= SessionRecorder.MaxReps + 1; i++) recorder.AddRep(rep);
            recorder.AddFrame(m);
            Assert.False(recorder.IsRecording);
            Assert.Equal(StopReason.StorageFull, recorder.LastStop);
            byte[] bytes = flash.Contents(store.PathOf(1));
            DecodedSession d = DecodedSession.Decode(bytes, bytes.Length);
            Assert.False(d.HadInvalidTail);
            Assert.Equal(50, d.Frames.Count);
            Assert.Equal(store.Find(1)!.Length, bytes.Length);
        }

        [Fact]
        public void Erase_refuses_an_undownloaded_session_unless_forced_and_mark_and_erase_check_the_digest()
        {
            var flash = new FlashModel();
            var store = Recovered(flash);
            RecordMinute(new SessionRecorder(store, flash), new Random(1), 10);
            Settle(store);
            byte[] tag = Tag(flash, store, 1);
            byte[] wrong = (byte[])tag.Clone();
            wrong[11] ^= 1;
            Assert.Equal(ResultCode.NotDownloaded, Erase(store, 1, false, tag));
            Assert.Equal(ResultCode.DigestMismatch, store.MarkDownloaded(1, wrong, 0));
            Assert.Equal(ResultCode.NotFound, store.MarkDownloaded(7, tag, 0));
            Settle(store); // a disagreement makes the device hash its file again
            Assert.Equal(ResultCode.Success, store.MarkDownloaded(1, tag, 0));
            var again = Recovered(flash);
            Assert.True(again.Find(1)!.Downloaded); // the mark survives a reboot, and so does the digest
            Assert.Equal(SessionInfo.DigestReady, again.Find(1)!.DigestState);
            Assert.Equal(ResultCode.DigestMismatch, Erase(again, 1, false, wrong));
            Assert.Equal(ResultCode.Success, Erase(again, 1, false, tag));
            Assert.Equal(0, again.Count);
            Assert.DoesNotContain(flash.List(Dir), n => n.StartsWith('S'));
        }

        [Fact]
        public void Session_ids_are_never_reused_even_after_erasing_everything()
        {
            var flash = new FlashModel();
            var store = Recovered(flash);
            var recorder = new SessionRecorder(store, flash);
            RecordMinute(recorder, new Random(1), 5);
            RecordMinute(recorder, new Random(2), 5);
            Assert.Equal(ResultCode.Success, Erase(store, 1, true));
            Assert.Equal(ResultCode.Success, Erase(store, 2, true));
            var rebooted = Recovered(flash);
            RecordMinute(new SessionRecorder(rebooted, flash), new Random(3), 5);
            Assert.Equal(3, rebooted.At(0).Id);
        }

        [Fact]
        public void A_corrupt_config_falls_back_to_defaults_with_a_flag_and_a_good_one_survives_reboots()
        {
            var flash = new FlashModel();
            var cs = new ConfigStore(flash, Dir);
            var config = new DeviceConfig { ChinDropTenthsDeg = 180, DeviceName = "Coach A", RecordRateHz = 5 };
            Assert.True(cs.Save(config));
            var loaded = new DeviceConfig();
            new ConfigStore(flash, Dir).Load(loaded);
            Assert.Equal(180, loaded.ChinDropTenthsDeg);
            Assert.Equal("Coach A", loaded.DeviceName);

            byte[] bytes = flash.Contents(Dir + "config.bin");
            bytes[10] ^= 0x55;
            flash.Write(Dir + "config.bin", bytes, 0, bytes.Length);
            var reset = new ConfigStore(flash, Dir);
            var fallback = new DeviceConfig();
            reset.Load(fallback);
            Assert.True(reset.WasReset);
            Assert.Equal(150, fallback.ChinDropTenthsDeg);

            flash.Write(Dir + "config.bin", new byte[] { 1, 2, 3 }, 0, 3);
            reset.Load(fallback);
            Assert.True(reset.WasReset);
            flash.Delete(Dir + "config.bin");
            reset.Load(fallback);
            Assert.False(reset.WasReset); // first boot: defaults, nothing to report
        }

        [Fact]
        public void A_power_cut_while_saving_the_config_leaves_the_old_one_or_the_new_one()
        {
            // The device's rename is a delete and a move: the cut can fall in between.
            var flash = new FlashModel { AtomicRename = false };
            var cs = new ConfigStore(flash, Dir);
            Assert.True(cs.Save(new DeviceConfig { HeadUpTenthsDeg = 120 }));
            for (int cut = 0; cut < 70; cut++)
            {
                flash.CutPowerAfter(cut);
                try { cs.Save(new DeviceConfig { HeadUpTenthsDeg = 130 }); } catch (PowerLostException) { }
                flash.Reboot();
                var loaded = new DeviceConfig();
                var again = new ConfigStore(flash, Dir);
                again.Load(loaded);
                Assert.False(again.WasReset);
                Assert.Contains(loaded.HeadUpTenthsDeg, new[] { 120, 130 });
                Assert.True(cs.Save(new DeviceConfig { HeadUpTenthsDeg = 120 }));
            }
        }
    }
}
