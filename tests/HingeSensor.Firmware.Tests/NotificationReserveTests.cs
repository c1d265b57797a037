using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.VirtualDevice;
using Xunit;
using static HingeSensor.Firmware.Tests.TestLink;

namespace HingeSensor.Firmware.Tests
{
    /// <summary>
    /// Live frames and session data fill the notification queue whenever the link is slower than
    /// they are; answers to requests and events must still get through.
    /// </summary>
    public class NotificationReserveTests
    {
        // Recording a minute at MTU 23, live on, then a download running: both bulk streams want
        // every slot of the queue.
        private static (VirtualRig Rig, TestLink Link) Saturated()
        {
            var rig = new VirtualRig(Scenarios.Still(200), 11);
            rig.Boot();
            var link = new TestLink(rig, mtu: 23);
            rig.Core.OnSubscribe(GattCharacteristic.Live, true);
            link.RunTo(1.0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            link.RunTo(61.0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.Download, U16(1).Concat(U32(0)).ToArray()).Result);
            return (rig, link);
        }

        // The BLE stack stops taking notifications: live frames and session data fill the queue up
        // to the reserve. Then requests come, and the loop runs on.
        private static void StalledRequests(VirtualRig rig, int count)
        {
            rig.AdvanceTo(rig.TimeS + 1.0);
            Assert.Equal(rig.Core.Notifications.Capacity - NotificationQueue.ControlReserve, rig.Core.Notifications.Count);
            for (int i = 0; i < count; i++)
            {
                byte[] w = { (byte)Opcode.Identify, (byte)(100 + i) };
                rig.Core.OnControlWrite(w, w.Length);
                rig.AdvanceTo(rig.TimeS + 0.02);
            }
            rig.AdvanceTo(rig.TimeS + 0.5);
        }

        [Fact]
        public void Requests_are_answered_while_live_frames_and_a_download_fill_a_stalled_queue()
        {
            var (rig, link) = Saturated();
            int liveBefore = rig.Core.Live.Sent;
            StalledRequests(rig, NotificationQueue.ControlReserve);
            Assert.Equal(rig.Core.Notifications.Capacity, rig.Core.Notifications.Count); // the stall filled it

            link.Drain();
            for (int i = 0; i < NotificationQueue.ControlReserve; i++)
                Assert.Contains(link.Responses, r => r.Id == 100 + i && r.Opcode == (int)Opcode.Identify && r.Result == ResultCode.Success);
            Assert.Equal(0, rig.Core.Control.Lost);

            // And the bulk streams go on once the stack takes notifications again.
            int dataBefore = link.SessionData.Count;
            link.RunTo(rig.TimeS + 1.0);
            Assert.True(link.SessionData.Count > dataBefore, "the download resumed");
            Assert.True(rig.Core.Live.Sent > liveBefore, "live frames resumed");
        }

        [Fact]
        public void Answers_the_queue_could_not_hold_are_counted_in_the_status()
        {
            var (rig, link) = Saturated();
            StalledRequests(rig, NotificationQueue.ControlReserve + 2);
            link.Drain();
            Assert.Equal(NotificationQueue.ControlReserve, link.Responses.Count(r => r.Id >= 100));
            Assert.Equal(2, rig.Core.Control.Lost);

            link.RunTo(rig.TimeS + 1.1); // the status snapshot a host reads is refreshed every second
            var status = new DeviceStatus();
            byte[] read = new byte[NotificationQueue.MaxPayload];
            Assert.True(status.Decode(read, 0, rig.Core.Read(GattCharacteristic.Status, read)));
            Assert.Equal(2, status.ControlLost);
        }
    }
}
