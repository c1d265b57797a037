using System;
using System.Linq;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>Notifications go to the host that is connected when they happen, never to a later one.</summary>
    public class EventDeliveryTests
    {
        // With no host: a calibration from the button, a pulled and replugged sensor, a recording
        // started and stopped with the button. Each of these raises an event when a host is connected.
        private static void LiveAWhileAlone(VirtualRig rig)
        {
            double t = rig.TimeS;
            rig.Core.OnButton(ButtonPress.Short);
            rig.AdvanceTo(t + 3.5);
            Assert.Equal(CalibrationStep.None, rig.Core.Tracker.Capturing);
            Assert.True(rig.Core.Tracker.Calibration.Segments[0].HasNeutral);
            rig.Imus[2].Unplugged = true;
            rig.AdvanceTo(t + 4);
            rig.Imus[2].Unplugged = false;
            rig.Core.OnButton(ButtonPress.Long);
            rig.AdvanceTo(t + 6);
            Assert.True(rig.Core.Recorder.IsRecording);
            rig.Core.OnButton(ButtonPress.Long);
            rig.AdvanceTo(t + 8);
            Assert.False(rig.Core.Recorder.IsRecording);
            Assert.Equal(0, rig.Core.Notifications.Count);
        }

        [Fact]
        public void Nothing_is_queued_while_no_host_is_connected_and_the_first_host_gets_no_old_events()
        {
            var rig = new VirtualRig(Scenarios.Still(60), 11);
            rig.Boot();
            rig.AdvanceTo(1);
            LiveAWhileAlone(rig);

            var link = new TestLink(rig);
            link.RunTo(rig.TimeS + 2);
            Assert.Empty(link.Events);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.Identify).Result);
        }

        [Fact]
        public void Events_from_between_two_connections_are_not_sent_to_the_second()
        {
            var rig = new VirtualRig(Scenarios.Still(60), 11);
            rig.Boot();
            var first = new TestLink(rig);
            first.RunTo(1);
            rig.Core.OnDisconnected();
            rig.AdvanceTo(1.02);
            LiveAWhileAlone(rig);

            var second = new TestLink(rig);
            second.RunTo(rig.TimeS + 2);
            Assert.Empty(second.Events);
            // Events while connected still arrive.
            Assert.Equal(ResultCode.Accepted, second.Request(Opcode.CalibrateNeutral).Result);
            second.RunTo(rig.TimeS + 3.5);
            Assert.Single(second.Events, e => e.Kind == DeviceEvent.CalibrationDone);
        }

        [Fact]
        public void A_new_connection_starts_with_an_empty_queue_even_when_the_old_links_disconnect_came_in_the_same_pass()
        {
            var rig = new VirtualRig(Scenarios.Still(60), 11);
            rig.Boot();
            var first = new TestLink(rig);
            first.RunTo(1);
            rig.Core.OnControlWrite(new byte[] { (byte)Opcode.Identify, 7 }, 2);
            rig.AdvanceTo(1.02); // answered, not yet sent
            Assert.True(rig.Core.Notifications.Count > 0);
            rig.Core.OnDisconnected();
            rig.Core.OnConnected(185);
            rig.AdvanceTo(1.03);

            var second = new TestLink(rig);
            second.Drain();
            Assert.Empty(second.Responses);
        }

        // Runs an action once, from inside a loop pass (after the pass has looked at the link
        // events, before it runs the waiting requests): the BLE thread does not wait for the loop.
        private sealed class MidPass : ISampleTap
        {
            public Action? Once;

            public void OnSample(SensorFrame frame)
            {
                Action? a = Once;
                Once = null;
                a?.Invoke();
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_request_written_as_the_host_connects_is_answered_even_in_the_middle_of_a_loop_pass(bool previousLinkStillUp)
        {
            var rig = new VirtualRig(Scenarios.Still(60), 11);
            var midPass = new MidPass();
            rig.Core.Tap = midPass;
            rig.Boot();
            var first = new TestLink(rig);
            first.RunTo(1);
            if (!previousLinkStillUp)
            {
                rig.Core.OnDisconnected();
                rig.AdvanceTo(1.02);
            }
            midPass.Once = () =>
            {
                if (previousLinkStillUp) rig.Core.OnDisconnected(); // the old link's drop, in the same pass
                rig.Core.OnConnected(185);
                rig.Core.OnSecurityChanged(true);
                rig.Core.OnControlWrite(new byte[] { (byte)Opcode.Identify, 9 }, 2);
            };
            rig.AdvanceTo(rig.TimeS + 0.05);
            Assert.Null(midPass.Once);

            var buffer = new byte[NotificationQueue.MaxPayload];
            int answers = 0;
            while (rig.Core.Notifications.TryDequeue(buffer, out GattCharacteristic target, out _))
                if (target == GattCharacteristic.Control && buffer[0] == (byte)ControlMessage.Response && buffer[1] == (byte)Opcode.Identify && buffer[2] == 9) answers++;
            Assert.Equal(1, answers);
        }
    }
}
