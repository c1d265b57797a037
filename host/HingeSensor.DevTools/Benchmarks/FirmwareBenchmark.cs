using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Sensing;
using HingeSensor.VirtualDevice;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// The firmware core's per-sample cost on this machine, with the tracker alone on the same
    /// samples as the baseline, and the recording's size (the training run: <see cref="TimedTraining"/>).
    /// </summary>
    public static class FirmwareBenchmark
    {
        public sealed record Figures(int Samples, double DeviceNsPerSample, double TrackerNsPerSample, double SessionSeconds, long SessionBytes);

        public static Figures Run(int sets = 4)
        {
            TimedTraining.Figures run = TimedTraining.Run(sets);
            double deviceNs = run.LoopSeconds * 1e9 / run.Samples;

            // Baseline: the per-sample pipeline alone on the very same samples.
            IReadOnlyList<SensorFrame> frames = run.Frames;
            var tracker = new PostureTracker();
            tracker.ApplyCalibration(run.Calibration);
            foreach (SensorFrame f in frames.Take(500)) tracker.Update(f); // warm up
            tracker = new PostureTracker();
            tracker.ApplyCalibration(run.Calibration);
            var sw = Stopwatch.StartNew();
            foreach (SensorFrame f in frames) tracker.Update(f);
            double trackerNs = sw.Elapsed.TotalMilliseconds * 1e6 / frames.Count;
            return new Figures(run.Samples, deviceNs, trackerNs, run.SessionSeconds, run.SessionBytes);
        }
    }
}
