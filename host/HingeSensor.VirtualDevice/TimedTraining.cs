using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Protocol;
using HingeSensor.Simulation.Scenarios;

namespace HingeSensor.VirtualDevice
{
    /// <summary>
    /// A training session on the virtual rig with the device loop timed: a calibrated wearer doing
    /// sets of hinges while the device records at 25 Hz and streams live at 50 Hz. It keeps the
    /// samples the core fed its tracker, so that a baseline can run on the very same ones
    /// (`hinge-dev bench firmware`). It drives the firmware core directly, so it lives here: the
    /// virtual device is the only host-side code that links the core.
    /// </summary>
    public static class TimedTraining
    {
        /// <summary>What one run measured: the loop's own time over its samples, those samples, the calibration they were taken with and the session recorded.</summary>
        public sealed record Figures(int Samples, double LoopSeconds, IReadOnlyList<SensorFrame> Frames, BodyCalibration Calibration, double SessionSeconds, long SessionBytes);

        /// <summary>The device's main loop, the entry point whose reach in IL is the interpreter's cost proxy.</summary>
        public static MethodInfo Loop => typeof(DeviceCore).GetMethod(nameof(DeviceCore.Tick))!;

        private sealed class Tap : ISampleTap
        {
            public readonly List<SensorFrame> Frames = new();
            public void OnSample(SensorFrame f)
            {
                var c = new SensorFrame();
                c.CopyFrom(f);
                Frames.Add(c);
            }
        }

        public static Scenario Training(int sets) => new()
        {
            Name = "bench-firmware",
            Sequence = new List<SequenceStep>
            {
                new() { Do = "calibrate_neutral", DurationS = 4 },
                new() { Do = "calibrate_hinge" },
            }.Concat(Enumerable.Range(0, sets).SelectMany(_ => new[]
            {
                new SequenceStep { Do = "set", Reps = 10, Faults = new() { ["lumbar_rounding"] = 0.15, ["chin_drop"] = 0.15, ["head_up"] = 0.1 } },
                new SequenceStep { Do = "walk", DurationS = 30 },
            })).ToList(),
        };

        public static Figures Run(int sets = 4)
        {
            var rig = new VirtualRig(Training(sets), 5);
            var tap = new Tap();
            rig.Core.Tap = tap;
            rig.Boot();
            var core = rig.Core;
            var buffer = new byte[NotificationQueue.MaxPayload];
            void Drain() { while (core.Notifications.TryDequeue(buffer, out _, out _)) { } }
            void Control(Opcode op) => core.OnControlWrite(new byte[] { (byte)op, 1 }, 2);
            core.OnConnected(247);
            core.OnSecurityChanged(true);
            core.OnSubscribe(GattCharacteristic.Live, true);
            rig.AdvanceTo(0.5); Drain();
            Control(Opcode.CalibrateNeutral);
            rig.AdvanceTo(4.0); Drain();
            Control(Opcode.CalibrateHinge);
            rig.AdvanceTo(11.0); Drain();
            Control(Opcode.StartRecording);
            rig.AdvanceTo(12.0); Drain();

            long ticks = 0;
            var sw = new Stopwatch();
            rig.TickWrapper = tick =>
            {
                sw.Restart();
                tick();
                ticks += sw.ElapsedTicks;
            };
            int before = core.Samples, tapBefore = tap.Frames.Count;
            while (rig.TimeS < rig.DurationS)
            {
                rig.AdvanceTo(rig.TimeS + 0.5);
                Drain();
            }
            int samples = core.Samples - before;
            rig.TickWrapper = null;
            Control(Opcode.StopRecording);
            rig.AdvanceTo(rig.TimeS + 0.1);
            var session = core.Sessions.At(core.Sessions.Count - 1);
            return new Figures(samples, (double)ticks / Stopwatch.Frequency, tap.Frames.Skip(tapBefore).ToList(), core.Tracker.Calibration,
                session.DurationS, session.Length);
        }
    }
}
