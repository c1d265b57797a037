using System;
using System.Collections.Generic;

namespace HingeSensor.Algorithms.Tests.Synthetic
{
    /// <summary>A pose trajectory built from pieces laid end to end, each a function of its own local time.</summary>
    public sealed class Timeline
    {
        private readonly List<(double Start, double Duration, Func<double, Pose> Pose)> _pieces = new();

        public double Duration { get; private set; }

        public Timeline Add(double duration, Func<double, Pose> pose)
        {
            _pieces.Add((Duration, duration, pose));
            Duration += duration;
            return this;
        }

        public Timeline Hold(double duration, Pose pose) => Add(duration, _ => pose);

        public Pose At(double t)
        {
            if (_pieces.Count == 0) return default;
            if (t <= 0) return _pieces[0].Pose(0);
            foreach (var p in _pieces)
                if (t < p.Start + p.Duration) return p.Pose(t - p.Start);
            var last = _pieces[^1];
            return last.Pose(last.Duration);
        }

        /// <summary>0 → 1 → 0 smoothly: cosine ramps of the given lengths around a plateau.</summary>
        public static double UpDown(double t, double down, double hold, double up)
        {
            if (t <= 0) return 0;
            if (t < down) return 0.5 - 0.5 * Math.Cos(Math.PI * t / down);
            if (t < down + hold) return 1;
            if (t < down + hold + up) return 0.5 + 0.5 * Math.Cos(Math.PI * (t - down - hold) / up);
            return 0;
        }

        /// <summary>0 → 1 smoothly over [t0, t1].</summary>
        public static double Ramp(double t, double t0, double t1)
        {
            if (t <= t0) return 0;
            if (t >= t1) return 1;
            return 0.5 - 0.5 * Math.Cos(Math.PI * (t - t0) / (t1 - t0));
        }

        /// <summary>The standard calibration: 3 s still, a straight-back hinge to 70° over 5 s, 2 s still.</summary>
        public Timeline AddCalibration()
        {
            Hold(3.0, default);
            Add(5.0, t => Pose.Straight(70 * UpDown(t, 2.2, 0.3, 2.5)));
            Hold(2.0, default);
            return this;
        }

        public const double NeutralStart = 0.0, NeutralEnd = 3.0, HingeStart = 3.0, HingeEnd = 8.0;
    }
}
