using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Coaching;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Protocol;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.Host.Analysis;
using HingeSensor.Host.Recording;
using HingeSensor.Host.Sessions;
using HingeSensor.Nano.Core.Ble;
using HingeSensor.VirtualDevice;
using Xunit;
using Xunit.Abstractions;

namespace HingeSensor.Firmware.Tests
{
    public class EndToEndTests
    {
        private readonly ITestOutputHelper _out;
        public EndToEndTests(ITestOutputHelper output) { _out = output; }

        [Fact]
        public void Wearer_to_registers_to_driver_to_core_gives_the_same_reps_and_alerts_as_analyze_on_the_same_samples()
        {
            var rig = new VirtualRig(Scenarios.Workout(reps: 8), 31);
            var tap = new Tap();
            rig.Core.Tap = tap;
            rig.Boot();
            var link = new TestLink(rig, 185);
            rig.Core.OnSubscribe(GattCharacteristic.Live, true);

            // The user's app: calibrate when the script stands still and hinges, then record.
            link.RunTo(0.5);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateNeutral).Result);
            double neutralStart = LastSampleS(tap);
            link.RunTo(4.0);
            Assert.Equal(ResultCode.Accepted, link.Request(Opcode.CalibrateHinge).Result);
            double hingeStart = LastSampleS(tap);
            while (rig.Core.Tracker.Capturing != CalibrationStep.None) link.RunTo(rig.TimeS + 0.01);
            double hingeEnd = LastSampleS(tap);
            Assert.All(link.Events.Where(e => e.Kind == DeviceEvent.CalibrationDone), e => Assert.Equal((byte)CalibrationStatus.Ok, e.Payload[1]));
            Assert.True(rig.Core.Tracker.Calibration.IsComplete);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StartRecording).Result);
            float sessionStart = rig.Core.Recorder.StartS;
            link.RunTo(rig.DurationS);
            Assert.Equal(ResultCode.Success, link.Request(Opcode.StopRecording).Result);

            // What the device recorded.
            byte[] bytes = rig.Flash.Contents("/hinge/S00001.hs");
            DecodedSession session = DecodedSession.Decode(bytes, bytes.Length);
            Assert.True(session.Closed);
            double first = tap.Frames[0].TimeUs * 1e-6;
            var deviceReps = session.Reps.Where(r => r.Counted).ToList();
            var deviceAlerts = session.Events.Where(e => e.Kind == SessionEventKind.Alignment && e.A == (int)AlignmentEventKind.Started)
                .Select(e => (Fault: Faults.Name((Fault)e.B), TimeS: first + sessionStart + e.TimeMs / 1000.0)).ToList();

            List<string> deviceCues;
            // The same samples, as a raw recording with the same calibration windows, through `hinge analyze`.
            string dir = Path.Combine(Path.GetTempPath(), "hinge-e2e-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string raw = Path.Combine(dir, "device-samples.csv");
                WriteRaw(raw, tap.Frames, (neutralStart, neutralStart + 3.0), (hingeStart, hingeEnd));
                AnalysisResult analysis = RecordingAnalyzer.Analyze(raw);
                Assert.All(analysis.Calibration, c => Assert.Equal("ok", c.Status));
                var hostReps = analysis.Reps.Where(r => r.Counted && r.StartS >= first + sessionStart).ToList();
                var hostAlerts = analysis.Alerts.Where(a => a.StartS >= first + sessionStart).ToList();
                _out.WriteLine($"device: {deviceReps.Count} reps, {deviceAlerts.Count} alerts; analyze: {hostReps.Count} reps, {hostAlerts.Count} alerts");

                Assert.Equal(8, deviceReps.Count);
                Assert.Equal(hostReps.Count, deviceReps.Count);
                for (int i = 0; i < deviceReps.Count; i++)
                {
                    // Within half a degree: the raw file holds the samples to 1e-6 and the windows to
                    // whole samples, and the filter's rests weigh how steady the vertical stayed.
                    // (It compared rounded values: 104.50 against 104.85 failed, 104.51 against 105.49 passed.)
                    Assert.InRange(deviceReps[i].DepthDeg - hostReps[i].DepthDeg, -0.5, 0.5);
                    Assert.Equal(hostReps[i].Faults.OrderBy(x => x), FaultNames(deviceReps[i].FaultMask));
                }
                Assert.Equal(hostAlerts.Select(a => a.Fault), deviceAlerts.Select(a => a.Fault));
                for (int i = 0; i < deviceAlerts.Count; i++)
                    Assert.InRange(deviceAlerts[i].TimeS - hostAlerts[i].StartS, -0.015, 0.015);
                Assert.Equal(new[] { "back_rounding", "chin_drop", "head_up", "back_rounding", "back_rounding" }, deviceAlerts.Select(a => a.Fault));

                // The rep's shape and the coaching cues: the device's records say what analyze says of the same samples.
                Assert.Equal(hostReps.Select(r => r.Pattern), deviceReps.Select(r => RepPatterns.Name(r.Pattern)));
                Assert.Equal(hostReps.Select(r => r.Lockout), deviceReps.Select(r => Lockouts.Name(r.Lockout)));
                // Depth reached agrees wherever the two depths are on the same side of the line: they
                // may differ by the half degree above, and a rep that ends within it of the line
                // (80.10° on the device, 79.86° in analyze) goes either way on either.
                var coaching = new CoachingSettings();
                double line = coaching.DepthTargetDeg - coaching.DepthToleranceDeg;
                var onTheLine = new List<(double StartS, double EndS)>();
                for (int i = 0; i < deviceReps.Count; i++)
                {
                    _out.WriteLine($"rep {i}: device {deviceReps[i].DepthDeg:0.00}° {deviceReps[i].DepthReached}, analyze {hostReps[i].DepthDeg:0.00}° {hostReps[i].DepthReached}");
                    if ((deviceReps[i].DepthDeg - line) * (hostReps[i].DepthDeg - line) > 0) Assert.Equal(hostReps[i].DepthReached, deviceReps[i].DepthReached);
                    else onTheLine.Add((hostReps[i].StartS, hostReps[i].EndS + 0.5));
                }
                // Its depth tick likewise; every other cue agrees.
                bool Kept(string cue, double t) => cue != "depth_reached" || !onTheLine.Any(w => t >= w.StartS && t <= w.EndS);
                Assert.All(deviceReps, r => Assert.NotEqual(RepPattern.Unknown, r.Pattern));
                deviceCues = session.Events.Where(e => e.Kind == SessionEventKind.Cue).Select(e => CoachingCues.Name((CoachingCue)e.A)).ToList();
                var deviceKept = session.Events.Where(e => e.Kind == SessionEventKind.Cue)
                    .Select(e => (Cue: CoachingCues.Name((CoachingCue)e.A), T: first + sessionStart + e.TimeMs / 1000.0)).Where(c => Kept(c.Cue, c.T)).Select(c => c.Cue);
                Assert.Equal(analysis.Cues.Where(c => c.TimeS >= first + sessionStart && Kept(c.Cue, c.TimeS)).Select(c => c.Cue), deviceKept);
                _out.WriteLine("cues: " + string.Join(", ", deviceCues));
            }
            finally
            {
                Directory.Delete(dir, true);
            }

            // The host heard every cue the session holds (and any from before the recording started).
            Assert.NotEmpty(deviceCues);
            Assert.True(link.Events.Count(e => e.Kind == DeviceEvent.Cue) >= deviceCues.Count);

            // The wearer felt each alert: the fault's rhythm starts with the alert.
            foreach (var (fault, t) in deviceAlerts)
            {
                // A softer cue playing just before (the depth tick) gives way to the fault: what counts is
                // that the fault's own first pulse starts with the alert (the device decides 35 ms behind
                // the samples' time, the lockstep grid's latency).
                var pulses = rig.Motor.Pulses().Where(p => p.StartS >= t - 0.03 && p.StartS < t + 1).ToList();
                double firstPulse = fault == "head_up" ? 0.06 : 0.15;
                Assert.True(pulses.Count >= 2, $"{fault} at {t:0.00}: no buzz");
                Assert.Contains(pulses, p => p.StartS < t + 0.06 && Math.Abs(p.LengthS - firstPulse) < 0.005);
            }

            // And the live stream carried every frame, in order, at 50 Hz.
            var frames = new LiveFrame[LivePacket.MaxFramesPerPacket];
            var seq = link.Live.SelectMany(p => frames.Take(LivePacket.Read(p, 0, p.Length, frames)).Select(f => f.Sequence).ToArray()).ToList();
            Assert.All(seq.Zip(seq.Skip(1)), p => Assert.Equal((p.First + 1) & 0xFFFF, p.Second));
            Assert.Equal(0, rig.Core.Live.Dropped);
        }

        private static IEnumerable<string> FaultNames(int mask) =>
            new[] { Fault.BackRounding, Fault.ChinDrop, Fault.HeadUp }.Where(f => Faults.Has(mask, f)).Select(Faults.Name).OrderBy(x => x);

        private static double LastSampleS(Tap tap) => tap.Frames[^1].TimeUs * 1e-6;

        private static void WriteRaw(string path, List<SensorFrame> frames, (double, double) neutral, (double, double) hinge)
        {
            string W((double A, double B) w) => w.A.ToString("0.###", CultureInfo.InvariantCulture) + "-" + w.B.ToString("0.###", CultureInfo.InvariantCulture);
            using var f = File.Create(path);
            using var writer = new RawCsvWriter(f, new[] { new KeyValuePair<string, string>("neutral", W(neutral)), new("hinge_calibration", W(hinge)), new("accel_range_g", "8"), new("gyro_range_dps", "1000") });
            var v = new double[18];
            foreach (SensorFrame frame in frames)
            {
                if (frame.Samples.Any(s => !s.Present)) continue;
                for (int s = 0; s < 3; s++)
                {
                    var a = frame.Samples[s].Accel;
                    var g = frame.Samples[s].Gyro;
                    v[6 * s] = a.X; v[6 * s + 1] = a.Y; v[6 * s + 2] = a.Z;
                    v[6 * s + 3] = g.X; v[6 * s + 4] = g.Y; v[6 * s + 5] = g.Z;
                }
                writer.Write(frame.TimeUs * 1e-6, v);
            }
        }
    }
}
