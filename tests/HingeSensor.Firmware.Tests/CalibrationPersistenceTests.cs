using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Protocol;
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
            link.RunTo(0.5);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateNeutral).Result);
            link.RunTo(4.0);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateHinge).Result);
            while (rig.Core.Tracker.Capturing != CalibrationStep.None) link.RunTo(rig.TimeS + 0.01);
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
    }
}
