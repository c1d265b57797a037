using System;
using System.Collections.Generic;
using HingeSensor.Algorithms.Calibration;
using HingeSensor.Algorithms.Numerics;

namespace HingeSensor.Host.Analysis
{
    /// <summary>The stillest stretch of a recording, judged as a neutral capture would judge it.</summary>
    /// <param name="SpreadDeg">Per sensor (head, upper back, sacrum): RMS angle of the gravity direction from its mean, degrees.</param>
    /// <param name="RateDps">Per sensor: RMS bias-corrected angular rate, °/s.</param>
    /// <param name="Usable">Every sensor within the neutral capture's limits: the stretch would do as a neutral window.</param>
    public sealed record StillWindow(double StartS, double EndS, double[] SpreadDeg, double[] RateDps, bool Usable);

    /// <summary>
    /// Watches a recording go by and keeps its stillest window of a neutral capture's minimum
    /// length: the spread of each sensor's gravity direction and its turning rate, measured as
    /// <see cref="NeutralCapture"/> measures them. Memory is one window of samples, whatever the
    /// recording's length. When a recording calibrates nowhere, this says where the wearer came
    /// closest to standing still, and whether that would do.
    /// </summary>
    public sealed class StillnessScan
    {
        // Per sensor its unit gravity direction (x, y, z) at 3i, its rate² ((rad/s)²) at 9 + i and its
        // rate (x, y, z, rad/s) at 12 + 3i: inline, so a sample allocates nothing.
        [System.Runtime.CompilerServices.InlineArray(21)]
        private struct Values { private double _first; }

        private struct Sample
        {
            public double TimeS;
            public Values V;
        }

        private readonly CalibrationSettings _limits;
        private readonly double _windowS;
        private readonly Queue<Sample> _window = new();
        private readonly double[] _sumUp = new double[9];
        private readonly double[] _sumRateSq = new double[3];
        private readonly double[] _sumRate = new double[9];
        private double _bestScore = double.PositiveInfinity;

        public StillnessScan(CalibrationSettings limits)
        {
            _limits = limits;
            _windowS = limits.MinNeutralDurationS;
        }

        /// <summary>The stillest window so far, or null if the recording is shorter than one window.</summary>
        public StillWindow? Stillest { get; private set; }

        /// <param name="accel">Specific force per sensor, m/s².</param>
        /// <param name="rate">Bias-corrected angular rate per sensor, rad/s.</param>
        public void Add(double t, Vector3[] accel, Vector3[] rate)
        {
            var s = new Sample { TimeS = t };
            for (int i = 0; i < 3; i++)
            {
                double len = accel[i].Length;
                if (!(len > 1e-6)) return; // a sample without a usable direction says nothing about stillness
                s.V[3 * i] = accel[i].X / len;
                s.V[3 * i + 1] = accel[i].Y / len;
                s.V[3 * i + 2] = accel[i].Z / len;
                s.V[9 + i] = rate[i].LengthSquared;
                s.V[12 + 3 * i] = rate[i].X;
                s.V[13 + 3 * i] = rate[i].Y;
                s.V[14 + 3 * i] = rate[i].Z;
            }
            _window.Enqueue(s);
            Accumulate(s, +1);
            while (t - _window.Peek().TimeS > _windowS) Accumulate(_window.Dequeue(), -1);
            double startS = _window.Peek().TimeS;
            // Judge whole windows only (within a sample period of the length).
            if (_window.Count >= 10 && t - startS >= _windowS * (1 - 1.0 / _window.Count)) Judge(startS, t);
        }

        private void Accumulate(Sample s, int sign)
        {
            for (int k = 0; k < 9; k++) _sumUp[k] += sign * s.V[k];
            for (int i = 0; i < 3; i++) _sumRateSq[i] += sign * s.V[9 + i];
            for (int k = 0; k < 9; k++) _sumRate[k] += sign * s.V[12 + k];
        }

        private void Judge(double startS, double endS)
        {
            int n = _window.Count;
            var spread = new double[3];
            var rateDps = new double[3];
            double score = 0;
            bool usable = true;
            for (int i = 0; i < 3; i++)
            {
                double r = Math.Sqrt(_sumUp[3 * i] * _sumUp[3 * i] + _sumUp[3 * i + 1] * _sumUp[3 * i + 1] + _sumUp[3 * i + 2] * _sumUp[3 * i + 2]) / n;
                // For small spreads 1 − R ≈ σ²/2, as NeutralCapture reads it.
                spread[i] = Math.Sqrt(2 * Math.Max(0, 1 - r)) * 180 / Math.PI;
                double meanSq = _sumRateSq[i] / n;
                rateDps[i] = Math.Sqrt(Math.Max(0, meanSq)) * 180 / Math.PI;
                // Ranked by how much the rate varies, not by its size: what is left of a gyro bias
                // the filter is still learning is a constant, not a movement, and shrinks as the
                // recording goes on, so ranking by size would favour later windows running into
                // the next movement. Usable is still judged as the capture judges (the RMS rate).
                double mx = _sumRate[3 * i] / n, my = _sumRate[3 * i + 1] / n, mz = _sumRate[3 * i + 2] / n;
                double turningDps = Math.Sqrt(Math.Max(0, meanSq - (mx * mx + my * my + mz * mz))) * 180 / Math.PI;
                score = Math.Max(score, Math.Max(spread[i] / _limits.MaxNeutralSpreadDeg, turningDps / _limits.MaxNeutralRateDps));
                usable &= spread[i] <= _limits.MaxNeutralSpreadDeg && rateDps[i] <= _limits.MaxNeutralRateDps;
            }
            if (score >= _bestScore) return;
            _bestScore = score;
            Stillest = new StillWindow(Math.Round(startS, 2), Math.Round(endS, 2), Round(spread), Round(rateDps), usable);
        }

        private static double[] Round(double[] v) => Array.ConvertAll(v, x => Math.Round(x, 2));
    }
}
