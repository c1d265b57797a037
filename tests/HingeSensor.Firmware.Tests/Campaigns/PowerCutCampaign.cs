using System;
using System.Linq;
using System.Security.Cryptography;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
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
    /// The power goes at a random byte while a session records — beside an older session the host
    /// has stored, on a roomy or a nearly full flash, with torn or lost writes, atomic or two-step
    /// renames — and sometimes again while the next boot recovers. Goal: no chunk that was closed
    /// is ever lost, no session is lost, nothing damaged is taken for good.
    /// </summary>
    [StartsEarly(4)]
    public class PowerCutCampaign
    {
        private readonly ITestOutputHelper _out;

        public PowerCutCampaign(ITestOutputHelper output) => _out = output;

        // A recording as the main loop runs it: four passes (digester steps) per 25 Hz frame.
        private static void Record(SessionRecorder recorder, SessionStore store, Random rng, int seconds)
        {
            if (recorder.Start(new SessionHeader { DeviceSerial = "HS1-CUT", StartUnixMs = 1_764_000_000_000, FrameRateHz = 25 }, 0f) == null) return;
            var m = new PostureMetrics { ValidSegments = 7 };
            for (int k = 0; k < seconds * 25 && recorder.IsRecording; k++)
            {
                m.UpperBackSagittalDeg = 40 + 40 * MathF.Sin(k * 0.04f);
                m.HeadSagittalDeg = m.UpperBackSagittalDeg + (float)rng.NextDouble();
                recorder.AddFrame(m);
                if (k % 25 == 0) recorder.AddEvent(SessionEventKind.Alignment, k * 0.04f, 1, 2, 1500);
                if (k % 125 == 124)
                {
                    var rep = new Rep { Number = k / 125, Counted = true, StartS = k * 0.04f - 3, EndS = k * 0.04f, DepthDeg = 70 };
                    recorder.AddRep(rep);
                }
                for (int pass = 0; pass < 4; pass++) store.Digester.Pump();
            }
            recorder.Stop(StopReason.Requested, seconds);
            for (int pass = 0; pass < 4000; pass++) store.Digester.Pump();
        }

        [Fact]
        public void Ten_thousand_power_cuts_lose_no_closed_chunk_and_no_session()
        {
            int runs = Campaign.Size(3_000, 20_000);
            var rng = new Random(31415);
            int cutsWhileRecording = 0, cutsInRecovery = 0, nearlyFull = 0, tornTails = 0, closedChunksLost = 0, sessionsLost = 0, corrupt = 0, crashes = 0;
            string? firstProblem = null;
            for (int run = 0; run < runs; run++)
            {
                try
                {
                    var flash = new FlashModel(128 * 1024, seed: run) { TornWrites = run % 4 != 0, AtomicRename = run % 2 == 0 };
                    var log = new LoggingFileStore(flash);
                    var store = Recovered(log, run);
                    var recorder = new SessionRecorder(store, log);
                    // An older session the host already holds.
                    Record(recorder, store, new Random(run), 20);
                    Assert.Equal(ResultCode.Success, Mark(flash, store, 1));
                    byte[] older = File(flash, store, 1);
                    bool full = run % 3 == 0;
                    if (full)
                    {
                        // Nearly full: room for a few seconds more, then the older session must make way.
                        nearlyFull++;
                        int filler = (int)flash.FreeBytes - SessionRecorder.ReserveBytes - FlashModel.BlockSize;
                        flash.Write(Dir + "filler.bin", new byte[filler], 0, filler);
                    }
                    flash.CutPowerAfter(rng.Next(1, full ? 4_000 : 12_000)); // anywhere in what the recording writes
                    try { Record(recorder, store, new Random(run + 1), 60); }
                    catch (PowerLostException) { cutsWhileRecording++; }
                    flash.Reboot();
                    if (run % 5 == 0)
                    {
                        flash.CutPowerAfter(rng.Next(0, 2)); // recovery writes little: the truncate of a torn tail
                        try { Recovered(flash, run); } catch (PowerLostException) { cutsInRecovery++; }
                        flash.Reboot();
                    }
                    flash.CutPowerAfter(-1);
                    SessionStore after = Recovered(flash, run);
                    tornTails += after.RecoveredSessions;
                    // The older session: still there byte for byte, unless the recording evicted it (it was marked).
                    SessionInfo? first = after.Find(1);
                    if (first == null ? !full : !File(flash, after, 1).AsSpan().SequenceEqual(older)) sessionsLost++;
                    // The one being recorded: exactly the chunks that were closed.
                    string path = after.PathOf(2);
                    byte[] closed = log.Appended.TryGetValue(path, out var s) ? s.ToArray() : Array.Empty<byte>();
                    SessionInfo? second = after.Find(2);
                    byte[] kept = second == null ? Array.Empty<byte>() : File(flash, after, 2);
                    if (!kept.AsSpan().SequenceEqual(closed))
                    {
                        closedChunksLost++;
                        firstProblem ??= $"run {run}: kept {kept.Length} bytes, {closed.Length} were closed";
                    }
                    if (second != null)
                    {
                        DecodedSession d = DecodedSession.Decode(kept, kept.Length);
                        if (d.Holes.Count > 0 || d.HadInvalidTail) corrupt++;
                        Settle(after);
                        if (!second.DigestMatches(SHA256.HashData(kept), 0)) corrupt++;
                    }
                }
                catch (Exception e)
                {
                    crashes++;
                    firstProblem ??= $"run {run}: {e}";
                }
            }
            _out.WriteLine($"power cuts ({(Campaign.Long ? "long" : "slice")}): {runs} runs ({nearlyFull} on a nearly full flash), {cutsWhileRecording} cuts while recording, " +
                           $"{cutsInRecovery} more during recovery, {tornTails} torn tails cut; {crashes} crashes, {closedChunksLost} runs lost closed chunks, {sessionsLost} sessions lost, {corrupt} corrupt accepted");
            Assert.True(crashes == 0 && closedChunksLost == 0, firstProblem);
            Assert.Equal(0, sessionsLost);
            Assert.Equal(0, corrupt);
            Assert.True(cutsWhileRecording > runs * 9 / 10, $"only {cutsWhileRecording} cuts landed during a recording");
        }
    }
}
