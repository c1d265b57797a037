using System.Linq;
using HingeSensor.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Haptics;
using HingeSensor.Nano.Core.Sampling;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class HealthTests
    {
        private static (VirtualRig Rig, Tap Tap) Booted(double seconds = 40)
        {
            var rig = new VirtualRig(Scenarios.Still(seconds), 5);
            var tap = new Tap();
            rig.Core.Tap = tap;
            rig.Boot();
            rig.Core.OnConnected(185);
            rig.Core.OnSecurityChanged(true); // a bonded host
            rig.AdvanceTo(2);
            return (rig, tap);
        }

        private static int Events(VirtualRig rig, DeviceEvent e, int segment, SensorState state)
        {
            var buf = new byte[NotificationQueue.MaxPayload];
            int n = 0;
            while (rig.Core.Notifications.TryDequeue(buf, out var target, out int len))
                if (target == GattCharacteristic.Control && buf[0] == (byte)ControlMessage.Event && buf[1] == (byte)e && buf[2] == segment && buf[3] == (byte)state) n++;
            return n;
        }

        [Fact]
        public void A_pulled_sensor_is_announced_retried_with_backoff_and_back_when_replugged()
        {
            var (rig, tap) = Booted();
            rig.AdvanceTo(10);
            rig.Imus[2].Unplugged = true;   // the sacrum cable
            rig.AdvanceTo(10.2);
            SensorChannel sacrum = rig.Core.Sampler.Channel(2);
            Assert.Equal(ChannelHealth.Retrying, sacrum.Health);
            Assert.Equal(SensorState.Retrying, rig.Core.BuildStatus().Sensors[2]);
            Assert.Equal(1, Events(rig, DeviceEvent.SensorHealth, 2, SensorState.Retrying));
            rig.AdvanceTo(15);
            var buzz = rig.Motor.Pulses().Where(p => p.StartS > 10 && p.StartS < 12).ToList();
            Assert.Equal(new[] { 0.4, 0.4 }, buzz.Select(p => System.Math.Round(p.LengthS, 2)));   // the sensor-fault pattern, once
            int attempts = rig.Imus[2].Nacked;
            Assert.InRange(attempts, 4, 20); // a handful of retries in 5 s, not a storm
            // The other two keep delivering, the sacrum does not.
            var during = tap.Frames.Where(f => f.TimeUs > 10_100_000 && f.TimeUs < 15_000_000).ToList();
            Assert.All(during, f => Assert.True(f.Samples[0].Present && f.Samples[1].Present && !f.Samples[2].Present));
            Assert.All(during, f => Assert.False(rig.Core.Tracker.Metrics.TrunkValid));

            rig.Imus[2].Unplugged = false;
            rig.AdvanceTo(25);
            Assert.Equal(ChannelHealth.Ok, sacrum.Health);
            Assert.Equal(1, Events(rig, DeviceEvent.SensorHealth, 2, SensorState.Ok));
            Assert.True(tap.Frames.Last().Samples[2].Present);
            Assert.Equal(1, sacrum.Losses);
        }

        [Fact]
        public void The_sensor_health_event_and_the_session_carry_the_state_the_status_shows()
        {
            var (rig, _) = Booted();
            while (rig.Core.Notifications.TryDequeue(new byte[NotificationQueue.MaxPayload], out _, out _)) { }
            rig.Core.StartRecording();
            var seen = new System.Collections.Generic.List<(byte Event, SensorState Status)>();
            var buf = new byte[NotificationQueue.MaxPayload];
            void Watch(double until)
            {
                while (rig.TimeS < until)
                {
                    rig.AdvanceTo(rig.TimeS + 0.01);
                    while (rig.Core.Notifications.TryDequeue(buf, out var target, out _))
                        if (target == GattCharacteristic.Control && buf[0] == (byte)ControlMessage.Event && buf[1] == (byte)DeviceEvent.SensorHealth && buf[2] == 0)
                            seen.Add((buf[3], rig.Core.BuildStatus().Sensors[0]));
                }
            }
            rig.Imus[0].Unplugged = true;
            Watch(6);
            rig.Imus[0].Unplugged = false;
            Watch(12);
            Assert.Equal(new[] { ((byte)SensorState.Retrying, SensorState.Retrying), ((byte)SensorState.Ok, SensorState.Ok) }, seen);

            rig.Core.Recorder.Stop(Nano.Core.Storage.StopReason.Requested, rig.Core.Tracker.TimeS);
            byte[] bytes = rig.Flash.Contents("/hinge/S00001.hs");
            var health = Host.Sessions.DecodedSession.Decode(bytes, bytes.Length).Events.Where(e => e.Kind == SessionEventKind.SensorHealth && e.A == 0).Select(e => e.B);
            Assert.Equal(new[] { (int)SensorState.Retrying, (int)SensorState.Ok }, health);
        }

        [Fact]
        public void Short_nack_bursts_are_ridden_out_without_losing_the_sensor()
        {
            var (rig, tap) = Booted();
            for (int k = 0; k < 30; k++)
            {
                rig.Imus[k % 3].NackNext(1 + k % 2);   // one or two failed transfers
                rig.AdvanceTo(2.5 + k * 0.5);
            }
            Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0, rig.Core.Sampler.Channel(i).Losses));
            Assert.True(rig.Imus.Sum(i => i.Nacked) >= 45);
            double missing = tap.Frames.Where(f => f.TimeUs > 2_000_000).Average(f => f.Samples.Count(s => !s.Present));
            Assert.True(missing < 0.05, $"{missing:0.000} sensors missing per sample");
        }

        [Fact]
        public void A_chip_that_browned_out_and_went_quiet_is_restarted()
        {
            var (rig, _) = Booted();
            rig.AdvanceTo(8);
            rig.Imus[1].PowerOn();   // back in its power-on state: asleep, FIFO off, still answering
            rig.AdvanceTo(9);
            Assert.Equal(1, rig.Core.Sampler.Channel(1).Losses);
            rig.AdvanceTo(12);
            Assert.Equal(ChannelHealth.Ok, rig.Core.Sampler.Channel(1).Health);
            Assert.Equal(Nano.Core.Imu.Mpu6050Register.UserCtrlFifoEnable, rig.Imus[1].Register(Nano.Core.Imu.Mpu6050Register.UserCtrl));
        }

        [Fact]
        public void A_stalled_loop_overflows_the_fifos_and_sampling_recovers()
        {
            var (rig, tap) = Booted();
            rig.AdvanceTo(5);
            rig.LoopStalledUntilS = 6.5;   // 1.5 s without the main loop: 150 frames > 85 the FIFO holds
            rig.AdvanceTo(10);
            Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, rig.Core.Sampler.Channel(i).Driver.Overflows));
            Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0, rig.Core.Sampler.Channel(i).Losses));
            Assert.All(tap.Frames.Where(f => f.TimeUs > 7_000_000), f => Assert.True(f.Samples.All(s => s.Present)));
            Assert.Equal(3, rig.Core.BuildStatus().FifoOverflows);
        }
    }
}
