using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Posture;
using HingeSensor.Nano.Core.Storage;
using HingeSensor.Protocol;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class CalibrationPersistenceTests
    {
        [Fact]
        public void A_calibration_survives_a_reboot_and_alignment_is_judged_without_calibrating_again()
        {
            var rig = new VirtualRig(Scenarios.Workout(reps: 8), 31);
            rig.Boot();
            var link = new TestLink(rig);
            link.CalibrateWorkout();
            Assert.True(rig.Core.Tracker.Calibration.IsComplete);
            var before = new BodyCalibration();
            before.CopyFrom(rig.Core.Tracker.Calibration);

            rig.Reboot();

            BodyCalibration after = rig.Core.Tracker.Calibration;
            Assert.True(after.IsComplete);
            for (int s = 0; s < 3; s++)
            {
                // Stored as Q15: equal to within its resolution.
                Assert.InRange(Quaternion.AngleBetweenDeg(before.Segments[s].SegmentToSensor, after.Segments[s].SegmentToSensor), 0f, 0.05f);
                Assert.InRange(after.Segments[s].NeutralSpreadDeg - before.Segments[s].NeutralSpreadDeg, -0.01f, 0.01f);
                // The accelerometer offsets the hinge found (the simulated chips have some) come
                // back in mm/s² and are in force in the filters again.
                Assert.True(before.Segments[s].AccelBias.Length > 0.01f, $"segment {s}: the hinge found no offset");
                Assert.InRange((after.Segments[s].AccelBias - before.Segments[s].AccelBias).Length, 0f, 0.001f);
                Assert.Equal(after.Segments[s].AccelBias, rig.Core.Tracker.Filter(s).AccelBias);
            }
            int flags = rig.Core.BuildStatus().CalibrationFlags;
            Assert.Equal(DeviceStatus.CalNeutral | DeviceStatus.CalHinge, flags);

            // The set after the reboot is coached with the restored calibration.
            var link2 = new TestLink(rig);
            link2.RunTo(rig.DurationS);
            Assert.DoesNotContain(link2.Events, e => e.Kind == DeviceEvent.CalibrationDone);
            var started = link2.Events.Where(e => e.Kind == DeviceEvent.Alignment && e.Payload[0] == (byte)AlignmentEventKind.Started).ToList();
            Assert.Contains(started, e => e.Payload[1] == (byte)Fault.BackRounding);
            Assert.Contains(started, e => e.Payload[1] == (byte)Fault.ChinDrop);
        }

        // Neutral at 0.5 s, hinge at 4 s (the workout's stance and first slow hinge), optionally with a power cut between.
        private static BodyCalibration Calibrate(bool rebootBetweenSteps, out VirtualRig rig)
        {
            rig = new VirtualRig(Scenarios.Workout(reps: 8), 31);
            rig.Boot();
            var link = new TestLink(rig);
            link.RunTo(0.5);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateNeutral).Result);
            link.RunTo(3.6); // the 3 s neutral capture is over
            if (rebootBetweenSteps)
            {
                rig.Reboot();
                link = new TestLink(rig);
                Assert.Equal(DeviceStatus.CalNeutral, rig.Core.BuildStatus().CalibrationFlags); // the neutral step survived on its own
            }
            link.RunTo(4.0);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateHinge).Result);
            while (rig.Core.Tracker.Capturing != CalibrationStep.None) link.RunTo(rig.TimeS + 0.01);
            var done = link.Events.Last(e => e.Kind == DeviceEvent.CalibrationDone);
            Assert.Equal((byte)CalibrationStatus.Ok, done.Payload[1]);
            var cal = new BodyCalibration();
            cal.CopyFrom(rig.Core.Tracker.Calibration);
            return cal;
        }

        [Fact]
        public void A_reboot_between_the_neutral_and_the_hinge_gives_the_same_segment_frames_as_none()
        {
            BodyCalibration straight = Calibrate(false, out _);
            BodyCalibration rebooted = Calibrate(true, out VirtualRig rig);
            for (int s = 0; s < 3; s++)
            {
                float off = Quaternion.AngleBetweenDeg(straight.Segments[s].SegmentToSensor, rebooted.Segments[s].SegmentToSensor);
                Assert.True(off < 2f, $"segment {s}: frames {off:0.0}° apart");
            }
            // Standing tall after it reads about 0°, not the mounting's tilt.
            var link = new TestLink(rig);
            link.RunTo(rig.TimeS + 1);
            PostureMetrics m = rig.Core.Tracker.Metrics;
            Assert.InRange(m.TrunkFlexionDeg, -15f, 15f);
            Assert.InRange(m.HeadFlexionDeg, -15f, 15f);
        }

        [Fact]
        public void A_damaged_calibration_record_is_refused_the_device_comes_up_uncalibrated_and_says_so()
        {
            Calibrate(false, out VirtualRig rig);
            byte[] record = rig.Flash.Contents("/hinge/calib.bin");
            record[30] ^= 0x08;
            rig.Flash.Write("/hinge/calib.bin", record, 0, record.Length);

            rig.Reboot();

            DeviceStatus status = rig.Core.BuildStatus();
            Assert.Equal(0, status.CalibrationFlags);
            Assert.True((status.Flags & DeviceStatus.FlagRecordRefused) != 0);
            Assert.False(rig.Core.Tracker.Calibration.Segments[0].HasNeutral);
        }

        [Fact]
        public void A_calibration_saved_before_the_accelerometer_offsets_still_loads_after_the_update()
        {
            // A version-2 record (what the firmware before this one saved): the same calibration,
            // no offsets. An update must not make the wearer calibrate again.
            BodyCalibration cal = Calibrate(false, out VirtualRig rig);
            var old = new RecordFile(rig.Flash, 'K', 2, CalibrationRecord.EncodedLengthV2);
            var w = new ByteWriter(old.Buffer, RecordFile.HeaderBytes, CalibrationRecord.EncodedLengthV2);
            CalibrationRecord.Write(ref w, cal, 2);
            Assert.True(w.Ok && old.Save("/hinge/calib.bin", CalibrationRecord.EncodedLengthV2));

            rig.Reboot();

            BodyCalibration after = rig.Core.Tracker.Calibration;
            Assert.True(after.IsComplete);
            Assert.Equal(DeviceStatus.CalNeutral | DeviceStatus.CalHinge, rig.Core.BuildStatus().CalibrationFlags);
            Assert.True((rig.Core.BuildStatus().Flags & DeviceStatus.FlagRecordRefused) == 0);
            for (int s = 0; s < 3; s++)
            {
                Assert.InRange(Quaternion.AngleBetweenDeg(cal.Segments[s].SegmentToSensor, after.Segments[s].SegmentToSensor), 0f, 0.05f);
                Assert.Equal(Vector3.Zero, after.Segments[s].AccelBias);
                Assert.Equal(Vector3.Zero, rig.Core.Tracker.Filter(s).AccelBias);
            }
        }
    }
}
