using System;
using HingeSensor.Algorithms.Protocol;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.VirtualDevice;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class AllocationTests
    {
        [Fact]
        public void The_device_loop_allocates_nothing_per_sample_while_recording_and_streaming()
        {
            var rig = new VirtualRig(Scenarios.Workout(reps: 8), 41);
            rig.Boot();
            var link = new TestLink(rig, 247);
            rig.Core.OnSubscribe(GattCharacteristic.Live, true);
            rig.Core.OnSubscribe(GattCharacteristic.Status, true);
            link.RunTo(0.5);
            link.Request(Opcode.CalibrateNeutral);
            link.RunTo(4.0);
            link.Request(Opcode.CalibrateHinge);
            link.RunTo(11.0);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            // Give the session file its room up front (the flash model's buffer, not the device's).
            rig.Flash.Preallocate("/hinge/S00001.hs", 256 * 1024);
            link.RunTo(13.0);
            RunStaticConstructors();

            // Measure only the firmware's own work: every Tick of the core over 10,000 samples
            // (100 s at 100 Hz: reps, alerts, haptics, recording flushes, live packets, status).
            long allocated = 0;
            int samplesBefore = rig.Core.Samples;
            int liveBefore = rig.Core.Live.Sent;
            var buffer = new byte[NotificationQueue.MaxPayload];
            var measuring = new MeasuringRig(rig, bytes => allocated += bytes);
            while (rig.Core.Samples - samplesBefore < 10_000)
            {
                measuring.AdvanceTicks(1);
                while (rig.Core.Notifications.TryDequeue(buffer, out _, out _)) { }
            }
            Assert.Equal(0, allocated);
            Assert.True(rig.Core.Live.Sent - liveBefore > 4000, "live streaming was on");
            Assert.True(rig.Core.Recorder.IsRecording && rig.Core.Recorder.Session!.Length > 15_000, "the session was being written");
            Assert.True(rig.Motor.Pulses().Count > 5, "alerts buzzed during the measurement");
        }

        /// <summary>
        /// nanoFramework runs every static constructor when the application loads, so lookup tables
        /// (CRC, haptic patterns, battery curve) cost nothing per sample on the device. On .NET a
        /// static constructor runs at first use — on this thread if the code is still tier-0, on the
        /// JIT's thread if tier-1 got there first — which made the count depend on machine load.
        /// Running them all before measuring reproduces the device and keeps the count deterministic.
        /// </summary>
        private static void RunStaticConstructors()
        {
            var assemblies = new[]
            {
                typeof(HingeSensor.Nano.Core.Device.DeviceCore).Assembly,
                typeof(GattCharacteristic).Assembly,
                typeof(VirtualRig).Assembly,
                typeof(HingeSensor.Simulation.WearerSimulation).Assembly,
            };
            foreach (var assembly in assemblies)
                foreach (var type in assembly.GetTypes())
                    if (!type.ContainsGenericParameters)
                        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        /// <summary>Steps the rig one device tick at a time, counting the bytes the core's Tick allocates.</summary>
        private sealed class MeasuringRig
        {
            private readonly VirtualRig _rig;
            private readonly Action<long> _add;

            public MeasuringRig(VirtualRig rig, Action<long> add)
            {
                _rig = rig;
                _add = add;
                rig.TickWrapper = tick =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    tick();
                    _add(GC.GetAllocatedBytesForCurrentThread() - before);
                };
            }

            public void AdvanceTicks(int n) => _rig.AdvanceTo(_rig.TimeS + n * 0.01);
        }
    }
}
