using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.VirtualDevice;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>Recording as the device does it: the session's timing, and how it ends.</summary>
    public class RecordingTests
    {
        private static (VirtualRig Rig, TestLink Link) Connected(FlashModel? flash = null)
        {
            var rig = new VirtualRig(Scenarios.Still(120), 11, flash);
            rig.Boot();
            var link = new TestLink(rig);
            link.RunTo(1.0);
            return (rig, link);
        }

        private static ResultCode WriteConfig(TestLink link, DeviceConfig config)
        {
            var record = new byte[DeviceConfig.MaxEncodedLength];
            int n = config.Encode(record, 0);
            return link.Request(Opcode.WriteConfig, record[..n]).Result;
        }

        [Fact]
        public void A_record_rate_changed_while_recording_applies_to_the_next_session_and_thresholds_at_once()
        {
            var (rig, link) = Connected();
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 2);
            Assert.Equal(ResultCode.Success, WriteConfig(link, new DeviceConfig { RecordRateHz = 5, ChinDropTenthsDeg = 180 }));
            Assert.Equal(18f, rig.Core.Tracker.Settings.Alignment.ChinDropDeg, 3);
            link.RunTo(rig.TimeS + 4);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);

            // The whole session at the rate its header states: frame times span its duration.
            byte[] first = rig.Flash.Contents("/hinge/S00001.hs");
            DecodedSession d = DecodedSession.Decode(first, first.Length);
            Assert.Equal(25, d.Header.FrameRateHz);
            Assert.InRange(d.Frames.Count, 25 * d.DurationS - 2, 25 * d.DurationS + 2);
            Assert.InRange(d.Frames[^1].TimeS, d.DurationS - 0.1, d.DurationS + 0.01);

            // The next session records at the new rate.
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 4);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);
            byte[] second = rig.Flash.Contents("/hinge/S00002.hs");
            DecodedSession d2 = DecodedSession.Decode(second, second.Length);
            Assert.Equal(5, d2.Header.FrameRateHz);
            Assert.InRange(d2.Frames.Count, 5 * d2.DurationS - 2, 5 * d2.DurationS + 2);
        }

        [Fact]
        public void A_stop_right_after_the_last_rep_keeps_that_rep_in_the_session()
        {
            var rig = new VirtualRig(Scenarios.Workout(reps: 2), 31);
            rig.Boot();
            var link = new TestLink(rig);
            link.CalibrateWorkout();
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);

            // The second rep is counted the moment the torso is back in the standing band; its record
            // follows its lockout window (0.5 s). The wearer stops in between.
            RepDetector reps = rig.Core.Tracker.Reps;
            Assert.True(link.RunUntil(() => reps.Count == 2, 60), "the second rep was not counted");
            link.RunTo(rig.TimeS + 0.1);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);

            byte[] bytes = rig.Flash.Contents("/hinge/S00001.hs");
            DecodedSession session = DecodedSession.Decode(bytes, bytes.Length);
            Assert.Equal(new[] { 1, 2 }, session.Reps.Where(r => r.Counted).Select(r => r.Number));
            // Taken once: the detector does not report it again after the stop.
            link.RunTo(rig.TimeS + 1);
            Assert.False(reps.TakeCompleted(new Rep()));
        }

        [Fact]
        public void Storage_filling_while_reps_are_flushed_stops_the_recording_with_a_RecordingStopped_event()
        {
            var (rig, link) = Connected(new FlashModel(64 * 1024));
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(rig.TimeS + 2.5);
            // Something else takes the flash (no session is downloaded, so nothing can be evicted).
            rig.Flash.Write("/hinge/filler.bin", new byte[rig.Flash.FreeBytes - FlashModel.BlockSize], 0, (int)rig.Flash.FreeBytes - FlashModel.BlockSize);

            // Reps fill the recorder's buffer: the fifth one flushes, and that flush finds no room.
            // (The rep path needs five reps between two one-second frame flushes, more than the
            // simulated wearer can do: hand the recorder the reps the pipeline would.)
            var rep = new Rep { StartS = rig.Core.Tracker.TimeS - 1, EndS = rig.Core.Tracker.TimeS, DepthDeg = 60, Counted = true };
            for (int i = 0; i <= SessionRecorder.MaxReps; i++) rig.Core.Recorder.AddRep(rep);
            Assert.False(rig.Core.Recorder.IsRecording);

            link.RunTo(rig.TimeS + 0.5);
            var stopped = link.Events.Single(e => e.Kind == DeviceEvent.RecordingStopped);
            Assert.Equal(1, stopped.Payload[0] | (stopped.Payload[1] << 8));
            Assert.Equal((byte)StopReason.StorageFull, stopped.Payload[2]);
            Assert.Equal(RecordingState.StoppedStorageFull, rig.Core.BuildStatus().Recording);
            Assert.Equal(HapticPattern.StorageFull, rig.Core.Haptics.Playing);
        }
    }
}
