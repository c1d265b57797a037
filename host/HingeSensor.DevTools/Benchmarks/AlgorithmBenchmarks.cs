using System;
using BenchmarkDotNet.Attributes;
using HingeSensor.Algorithms.Alignment;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Fusion;
using HingeSensor.Algorithms.Numerics;
using HingeSensor.Algorithms.Pipeline;
using HingeSensor.Algorithms.Reps;
using HingeSensor.Algorithms.Sensing;

namespace HingeSensor.DevTools.Benchmarks
{
    /// <summary>
    /// Per-sample costs on this machine: our filter against a plain Madgwick update in the same run,
    /// and one full three-sensor sample (fusion + metrics + decision + reps). Inputs are a moving,
    /// calibrated wearer so that every branch of the real path runs.
    /// </summary>
    [MemoryDiagnoser]
    public class AlgorithmBenchmarks
    {
        private const int N = 4096; // power of two: cheap wrap-around
        private readonly Vector3[] _gyr = new Vector3[N];
        private readonly Vector3[] _acc = new Vector3[N];
        private readonly SensorFrame[] _frames = new SensorFrame[N];
        private OrientationFilter _filter = null!;
        private MadgwickFilter _madgwick = null!;
        private PostureTracker _tracker = null!;
        private int _i;
        private long _timeUs;

        private readonly AlignmentEvent _event = new();
        private readonly Rep _rep = new();

        [GlobalSetup]
        public void Setup()
        {
            // A sensor on a hinging back: pitching 0-80° at 0.3 Hz with some roll and noise.
            var rng = new Random(1);
            for (int k = 0; k < N; k++)
            {
                double t = k * 0.01;
                double pitch = 40 * (1 - Math.Cos(2 * Math.PI * 0.3 * t)) * Math.PI / 180;
                double rate = 40 * 2 * Math.PI * 0.3 * Math.Sin(2 * Math.PI * 0.3 * t) * Math.PI / 180;
                _gyr[k] = new Vector3((float)(0.01 * Noise(rng)), (float)(rate + 0.01 * Noise(rng)), (float)(0.01 * Noise(rng)));
                _acc[k] = new Vector3((float)(-9.81 * Math.Sin(pitch) + 0.05 * Noise(rng)), (float)(0.05 * Noise(rng)), (float)(9.81 * Math.Cos(pitch)));
                var frame = new SensorFrame();
                for (int s = 0; s < Segments.Count; s++) frame.Samples[s].Set(_gyr[k], _acc[k]);
                _frames[k] = frame;
            }
            _filter = new OrientationFilter();
            _madgwick = new MadgwickFilter();
            _tracker = CalibratedTracker();
        }

        private PostureTracker CalibratedTracker()
        {
            var tracker = new PostureTracker();
            var cal = new BodyCalibration();
            for (int s = 0; s < Segments.Count; s++)
            {
                cal.Segments[s].HasNeutral = true;
                cal.Segments[s].HasHinge = true;
            }
            tracker.ApplyCalibration(cal);
            return tracker;
        }

        private static double Noise(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

        [Benchmark(Baseline = true, Description = "Madgwick 6-D update")]
        public Quaternion Madgwick()
        {
            int i = _i++ & (N - 1);
            _madgwick.Update(_gyr[i], _acc[i], 0.01f);
            return _madgwick.Orientation;
        }

        [Benchmark(Description = "OrientationFilter update")]
        public Quaternion OurFilter()
        {
            int i = _i++ & (N - 1);
            _filter.Update(_gyr[i], _acc[i], 0.01f);
            return _filter.Orientation;
        }

        [Benchmark(Description = "PostureTracker three-sensor sample")]
        public int TrackerSample()
        {
            int i = _i++ & (N - 1);
            SensorFrame f = _frames[i];
            _timeUs += 10_000;
            f.TimeUs = _timeUs;
            _tracker.Update(f);
            int drained = 0;
            while (_tracker.Events.TryDequeue(_event)) drained++;
            if (_tracker.Reps.TakeCompleted(_rep)) drained++;
            return drained;
        }
    }
}
