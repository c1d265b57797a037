using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.Nano.Core.Device;
using HingeSensor.Simulation.Scenarios;
using HingeSensor.VirtualDevice;

namespace HingeSensor.Host.Benchmarks
{
    /// <summary>
    /// The firmware core's per-sample cost on this machine, with the tracker alone on the same
    /// samples as the baseline, and the recording's size. Runs the virtual rig: a calibrated wearer
    /// doing sets of hinges while the device records at 25 Hz and streams live at 50 Hz.
    /// </summary>
    public static class FirmwareBenchmark
    {
        public sealed record Figures(int Samples, double DeviceNsPerSample, double TrackerNsPerSample, double SessionSeconds, long SessionBytes);

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
            double deviceNs = ticks * 1e9 / Stopwatch.Frequency / samples;
            rig.TickWrapper = null;
            Control(Opcode.StopRecording);
            rig.AdvanceTo(rig.TimeS + 0.1);
            var session = core.Sessions.At(core.Sessions.Count - 1);

            // Baseline: the per-sample pipeline alone on the very same samples.
            var tracker = new PostureTracker();
            tracker.ApplyCalibration(core.Tracker.Calibration);
            var frames = tap.Frames.Skip(tapBefore).ToList();
            foreach (SensorFrame f in frames.Take(500)) tracker.Update(f); // warm up
            tracker = new PostureTracker();
            tracker.ApplyCalibration(core.Tracker.Calibration);
            var sw2 = Stopwatch.StartNew();
            foreach (SensorFrame f in frames) tracker.Update(f);
            double trackerNs = sw2.Elapsed.TotalMilliseconds * 1e6 / frames.Count;
            return new Figures(samples, deviceNs, trackerNs, session.DurationS, session.Length);
        }
    }
}
